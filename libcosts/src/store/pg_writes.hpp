// Private: a sync run written into Postgres in one transaction, on the target's connection.
#pragma once

#include <pqxx/pqxx>

#include "costs/batch.hpp"

namespace costs::detail {

/// Prepares the statements write_batch uses; once per connection.
void prepare_writes(pqxx::connection& c);

/// @throws costs::store_error (from to_store_error) when the database refuses the run.
write_summary write_batch(pqxx::connection& c, const sync_batch& batch);

}  // namespace costs::detail
