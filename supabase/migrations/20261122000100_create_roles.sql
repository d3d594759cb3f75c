-- purpose: the roles the schema grants to. supabase projects already have anon, authenticated
-- and service_role; plain postgres gets them here, created only where missing.
-- costs_reader is the read-only role costs-server connects as: give it login and a password
-- (`alter role costs_reader with login password '...'`).
-- roles are cluster-wide, so two databases migrating at once may race to create one; the
-- loser's error is caught and the role used as found.

do $$
declare
  role_name text;
begin
  foreach role_name in array array['anon', 'authenticated', 'service_role', 'costs_reader'] loop
    if not exists (select from pg_catalog.pg_roles where rolname = role_name) then
      begin
        execute format('create role %I nologin noinherit', role_name);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

grant usage on schema public to anon, authenticated, service_role, costs_reader;
