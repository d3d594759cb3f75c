// supabase/migrations on a real Postgres: apply, re-apply, and what each role may do.
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "costs/error.hpp"
#include "costs/migrations.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::as_role;
using costs::test::test_database;

const std::vector<std::string> tables = {"usage_snapshots", "cost_daily", "usage_daily",
                                         "cost_sync_log",   "budgets",    "alert_events",
                                         "cost_hourly",     "llm_calls"};

std::set<std::string> public_relations(pqxx::connection& c) {
  pqxx::read_transaction tx(c);
  std::set<std::string> names;
  for (const auto& row : tx.exec("select table_name from information_schema.tables "
                                 "where table_schema = 'public'"))
    names.insert(row[0].c_str());
  return names;
}

// Runs `sql` as `role`: "ok", "denied" (insufficient_privilege), or the error's text.
std::string outcome_as(const test_database& db, const std::string& role, const std::string& sql) {
  pqxx::connection c(as_role(db.url(), role));
  {
    pqxx::read_transaction check(c);
    if (std::string(check.exec1("select current_user")[0].c_str()) != role)
      return "not acting as " + role;
  }
  try {
    pqxx::work tx(c);
    tx.exec(sql);
    tx.commit();
    return "ok";
  } catch (const pqxx::insufficient_privilege&) {
    return "denied";
  } catch (const pqxx::sql_error& e) {
    return e.what();
  }
}

TEST(migrations_test, apply_on_a_fresh_database_then_the_second_run_is_a_no_op) {
  test_database db;
  const auto migrations = costs::load_migrations(COSTS_MIGRATIONS_SOURCE);
  ASSERT_GE(migrations.size(), 8u);

  const auto first = costs::apply_migrations(db.url(), migrations);
  EXPECT_EQ(first.applied.size(), migrations.size());
  EXPECT_EQ(first.already_applied, 0u);

  const auto second = costs::apply_migrations(db.url(), migrations);
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.already_applied, migrations.size());

  auto c = db.connect();
  const auto names = public_relations(c);
  for (const auto& t : tables) EXPECT_EQ(names.count(t), 1u) << t;
  EXPECT_EQ(names.count("usage_latest"), 1u);
  pqxx::read_transaction tx(c);
  EXPECT_EQ(
      tx.exec1("select count(*) from supabase_migrations.schema_migrations")[0].as<std::size_t>(),
      migrations.size());
}

TEST(migrations_test, versions_are_applied_in_order_and_recorded_like_the_supabase_cli) {
  test_database db;
  const auto migrations = costs::load_migrations(COSTS_MIGRATIONS_SOURCE);
  for (std::size_t i = 1; i < migrations.size(); ++i)
    EXPECT_LT(migrations[i - 1].version, migrations[i].version);
  db.migrate();
  auto c = db.connect();
  pqxx::read_transaction tx(c);
  const auto rows =
      tx.exec("select version, name from supabase_migrations.schema_migrations order by version");
  ASSERT_EQ(rows.size(), migrations.size());
  EXPECT_EQ(std::string(rows[0][1].c_str()), migrations[0].name);
}

TEST(migrations_test, a_failing_migration_names_itself_and_leaves_nothing_half_done) {
  test_database db;
  auto migrations = costs::load_migrations(COSTS_MIGRATIONS_SOURCE);
  migrations.push_back(
      {"29991231235959", "broken", "create table public.half_done (x int); select nope;"});
  try {
    costs::apply_migrations(db.url(), migrations);
    FAIL() << "expected a store_error";
  } catch (const costs::store_error& e) {
    EXPECT_NE(std::string(e.what()).find("29991231235959_broken"), std::string::npos) << e.what();
  }
  auto c = db.connect();
  EXPECT_EQ(public_relations(c).count("half_done"), 0u);
  // Everything before it was applied and recorded; a fixed rerun applies just the fix.
  migrations.back().sql = "select 1;";
  const auto rerun = costs::apply_migrations(db.url(), migrations);
  ASSERT_EQ(rerun.applied.size(), 1u);
  EXPECT_EQ(rerun.applied[0], "29991231235959");
}

TEST(migrations_test, every_table_has_row_level_security) {
  test_database db;
  db.migrate();
  auto c = db.connect();
  pqxx::read_transaction tx(c);
  for (const auto& t : tables) {
    EXPECT_TRUE(
        tx.exec_params1(
              "select relrowsecurity from pg_class where oid = ('public.' || $1)::regclass", t)[0]
            .as<bool>())
        << t;
  }
  EXPECT_EQ(tx.exec1("select count(*) from pg_views where schemaname = 'public' and viewname = "
                     "'usage_latest'")[0]
                .as<int>(),
            1);
}

TEST(migrations_test, anonymous_and_authenticated_roles_can_neither_read_nor_write) {
  test_database db;
  // Supabase grants everything in public to anon and authenticated by default; do the same
  // first, so the migrations are shown to close that door themselves.
  {
    auto c = db.connect();
    pqxx::work tx(c);
    tx.exec(
        "do $$ begin if not exists (select from pg_roles where rolname = 'anon') then "
        "create role anon nologin; end if; if not exists (select from pg_roles where rolname = "
        "'authenticated') then create role authenticated nologin; end if; end $$;"
        "alter default privileges in schema public grant all on tables to anon, authenticated;"
        "alter default privileges in schema public grant all on sequences to anon, authenticated;");
    tx.commit();
  }
  db.migrate();
  for (const std::string role : {"anon", "authenticated"}) {
    for (const auto& t : tables) {
      EXPECT_EQ(outcome_as(db, role, "select * from public." + t), "denied")
          << role << " reads " << t;
      EXPECT_EQ(outcome_as(db, role, "delete from public." + t), "denied")
          << role << " deletes " << t;
    }
    EXPECT_EQ(outcome_as(db, role, "select * from public.usage_latest"), "denied") << role;
    EXPECT_EQ(
        outcome_as(db, role,
                   "insert into public.usage_snapshots (provider, source) values ('x', 'api')"),
        "denied")
        << role;
    EXPECT_EQ(outcome_as(db, role,
                         "insert into public.cost_daily (provider, date, source) values ('x', "
                         "current_date, 'api')"),
              "denied")
        << role;
  }
}

TEST(migrations_test, the_reader_reads_and_cannot_write_the_service_role_writes) {
  test_database db;
  db.migrate();
  const std::string insert_snapshot =
      "insert into public.usage_snapshots (provider, source, total_cost_usd) values ('openrouter', "
      "'api', 1.5)";
  EXPECT_EQ(outcome_as(db, "service_role", insert_snapshot), "ok");
  EXPECT_EQ(outcome_as(db, "costs_reader", insert_snapshot), "denied");
  EXPECT_EQ(outcome_as(db, "costs_reader", "select * from public.usage_latest"), "ok");
  EXPECT_EQ(outcome_as(db, "costs_reader", "update public.cost_daily set cost_usd = 0"), "denied");
  // Snapshots are append-only, even for the writer.
  EXPECT_EQ(outcome_as(db, "service_role", "delete from public.usage_snapshots"), "denied");
  EXPECT_EQ(outcome_as(db, "service_role", "update public.usage_snapshots set host = 'x'"),
            "denied");
  // Budget channels can hold webhook secrets: the reader sees rules, not channels.
  EXPECT_EQ(outcome_as(db, "service_role",
                       "insert into public.budgets (threshold_usd, channels) values (100, "
                       "'[\"https://hooks\"]')"),
            "ok");
  EXPECT_EQ(outcome_as(db, "costs_reader", "select id, threshold_usd, period from public.budgets"),
            "ok");
  EXPECT_EQ(outcome_as(db, "costs_reader", "select channels from public.budgets"), "denied");
}

TEST(migrations_test, concurrent_migrators_apply_each_migration_once) {
  test_database db;
  const auto migrations = costs::load_migrations(COSTS_MIGRATIONS_SOURCE);
  costs::migrate_result a, b;
  std::thread other([&] { b = costs::apply_migrations(db.url(), migrations); });
  a = costs::apply_migrations(db.url(), migrations);
  other.join();
  EXPECT_EQ(a.applied.size() + b.applied.size(), migrations.size());
  EXPECT_EQ(a.already_applied + b.already_applied, migrations.size());
}

TEST(migrations_test, misnamed_files_are_refused) {
  EXPECT_THROW(costs::load_migrations("/nonexistent-migrations"), costs::config_error);
}

// `supabase db push` runs the migrations as the project's `postgres` role, which is no superuser:
// it may create roles and owns the database, and Supabase made anon, authenticated and
// service_role already. Applied as such a role, every migration still goes through.
TEST(migrations_test, a_non_superuser_owner_as_on_supabase_applies_every_migration) {
  test_database db;
  {
    auto c = db.connect();
    pqxx::nontransaction tx(c);
    // Roles are the cluster's: another test may be making the same ones.
    tx.exec(
        "do $$ begin "
        "if not exists (select from pg_roles where rolname = 'costs_supabase_owner') then "
        "create role costs_supabase_owner nologin nosuperuser createrole; end if; "
        "exception when duplicate_object or unique_violation then null; end $$");
    tx.exec("alter database " + tx.quote_name(db.name()) + " owner to costs_supabase_owner");
    const auto super = tx.exec1(
        "select rolsuper from pg_roles where rolname = "
        "'costs_supabase_owner'");
    ASSERT_FALSE(super[0].as<bool>());
  }
  const auto migrations = costs::load_migrations(COSTS_MIGRATIONS_SOURCE);
  const auto owner = as_role(db.url(), "costs_supabase_owner");
  costs::migrate_result applied;
  ASSERT_NO_THROW(applied = costs::apply_migrations(owner, migrations));
  EXPECT_EQ(applied.applied.size(), migrations.size());
  pqxx::connection c(owner);
  EXPECT_EQ(public_relations(c).count("usage_latest"), 1u);
  pqxx::read_transaction tx(c);
  EXPECT_EQ(
      tx.exec1("select count(*) from supabase_migrations.schema_migrations")[0].as<std::size_t>(),
      migrations.size());
  EXPECT_EQ(std::string(tx.exec1("select tableowner from pg_tables where tablename = 'cost_daily' "
                                 "and schemaname = 'public'")[0]
                            .c_str()),
            "costs_supabase_owner")
      << "the owner made them, not a superuser";
}

}  // namespace
