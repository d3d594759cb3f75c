#include <gtest/gtest.h>

#include "costs/secrets.hpp"

namespace {

TEST(secrets_test, redacts_the_password_of_a_url) {
  EXPECT_EQ(costs::redact_url("postgresql://svc:hunter2@db.example:5432/x?sslmode=require"),
            "postgresql://svc:***@db.example:5432/x?sslmode=require");
  EXPECT_EQ(costs::redact_url("postgres://u:p%40ss@h/d"), "postgres://u:***@h/d");
}

TEST(secrets_test, leaves_urls_without_passwords_alone) {
  EXPECT_EQ(costs::redact_url("postgresql://postgres@127.0.0.1:5432/costs"),
            "postgresql://postgres@127.0.0.1:5432/costs");
  EXPECT_EQ(costs::redact_url("https://abc.supabase.co"), "https://abc.supabase.co");
  EXPECT_EQ(costs::redact_url("https://h/path?a=b@c:d"), "https://h/path?a=b@c:d");
}

TEST(secrets_test, redacts_every_occurrence_of_a_secret) {
  EXPECT_EQ(costs::redact("key sk-123 and sk-123", "sk-123"), "key *** and ***");
  EXPECT_EQ(costs::redact("nothing", ""), "nothing");
}

}  // namespace
