// costs/costs.hpp: everything libcosts offers, in one include.
#pragma once

#include "costs/calendar.hpp"
#include "costs/error.hpp"
#include "costs/migrations.hpp"
#include "costs/model.hpp"
#include "costs/model_names.hpp"
#include "costs/money.hpp"
#include "costs/paths.hpp"
#include "costs/pricing.hpp"
#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "costs/secrets.hpp"
#include "costs/spool.hpp"
#include "costs/store.hpp"
