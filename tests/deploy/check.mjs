// The container files checked without a Docker engine (none runs here): the Dockerfile linted by
// dockerfile-utils with every rule an error, compose.yaml parsed, and both held against the
// repository: what they copy exists and is not ignored, the jobs they start are the entrypoint's,
// the runtime stage installs every library the built binaries link, the variables they use are
// required or documented. Run by tests/integration/deploy_test.cpp:
//   COSTS_SOURCE_DIR  the checkout
//   COSTS_BINARIES    the built costs-server and costs-sync, space-separated
// Prints one line per check and "N passed, M failed"; exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationSeverity, validate } from 'dockerfile-utils';
import { parse } from 'yaml';

const root = process.env.COSTS_SOURCE_DIR;
const binaries = (process.env.COSTS_BINARIES ?? '').split(' ').filter(Boolean);
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
}
const read = (path) => readFileSync(join(root, path), 'utf8');

// --- Dockerfile -----------------------------------------------------------------------------------
const dockerfile = read('Dockerfile');
const strict = {};
for (const key of ['deprecatedMaintainer', 'directiveCasing', 'emptyContinuationLine', 'instructionCasing',
  'instructionCmdMultiple', 'instructionEntrypointMultiple', 'instructionHealthcheckMultiple',
  'instructionJSONInSingleQuotes', 'instructionWorkdirRelative'])
  strict[key] = ValidationSeverity.ERROR;
const problems = validate(dockerfile, strict);
check('dockerfile-utils finds nothing in the Dockerfile, every rule an error', problems.length === 0,
  problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`).join('; '));

// Instructions with their continuation lines joined, comments dropped.
const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#')).map((l) => {
    const [word, ...rest] = l.split(/\s+/);
    return { word: word.toUpperCase(), args: rest.join(' ') };
  });
const stages = [];
for (const i of instructions) {
  if (i.word === 'FROM') stages.push({ from: i.args, name: / AS (\S+)$/i.exec(i.args)?.[1], body: [] });
  else if (stages.length) stages.at(-1).body.push(i);
}
const runtime = stages.at(-1);
check('three stages: the page, the binaries, a runtime', stages.length === 3 &&
  stages[0].name === 'page' && stages[1].name === 'build', stages.map((s) => s.from).join(' | '));
check('the runtime is a slim Debian image', /slim/.test(runtime.from), runtime.from);
const user = runtime.body.filter((i) => i.word === 'USER').at(-1)?.args ?? '';
check('the runtime runs as a user that is not root', user !== '' && !/^(root|0)(:|$)/.test(user), user);
const health = runtime.body.find((i) => i.word === 'HEALTHCHECK')?.args ?? '';
check('a healthcheck asks the server\'s /healthz (the entrypoint\'s healthcheck job)',
  /CMD \["costs-entrypoint", "healthcheck"\]/.test(health), health);
check('the runtime starts the entrypoint, serving by default',
  runtime.body.some((i) => i.word === 'ENTRYPOINT' && i.args === '["costs-entrypoint"]') &&
  runtime.body.some((i) => i.word === 'CMD' && i.args === '["server"]'));

const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const is_ignored = (path) => ignored.some((p) => {
  const clean = p.replace(/^\*\*\//, '').replace(/\/$/, '');
  return path === clean || path.startsWith(`${clean}/`) || path.split('/').includes(clean);
});
const names = new Set(stages.map((s) => s.name).filter(Boolean));
for (const stage of stages) {
  for (const i of stage.body.filter((x) => x.word === 'COPY')) {
    const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--chmod') && !p.startsWith('--chown'));
    const from = parts.find((p) => p.startsWith('--from='));
    const sources = parts.filter((p) => !p.startsWith('--')).slice(0, -1);
    if (from) {
      check(`COPY ${from} names an earlier stage`, names.has(from.slice('--from='.length)));
      continue;
    }
    for (const s of sources) {
      const path = s.replace(/\/$/, '');
      check(`COPY ${s} exists in the checkout and is not ignored`,
        existsSync(join(root, path)) && !is_ignored(path));
    }
  }
}
const entry = 'deploy/costs-entrypoint';
check('the entrypoint copied in is executable', (() => {
  try {
    accessSync(join(root, entry), constants.X_OK);
    return dockerfile.includes(`${entry} /usr/local/bin/costs-entrypoint`);
  } catch {
    return false;
  }
})());

// Every shared library the binaries link comes from a package the runtime stage installs (or
// one every Debian has). The build machine is Debian too: dpkg names the owner of each.
const installs = runtime.body.filter((i) => i.word === 'RUN').map((i) => i.args).join(' ');
const essential = new Set(['libc6', 'libstdc++6', 'libgcc-s1']);
// The package that holds a library file: /lib and /usr/lib are one place (usrmerge), so both
// spellings of the path are asked, the symlink's and the file's.
function owner_of(path) {
  const real = realpathSync(path);
  for (const p of [path, real, ...[path, real].map((x) => x.replace(/^\/lib\//, '/usr/lib/'))]) {
    try {
      return execFileSync('dpkg', ['-S', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split(':')[0];
    } catch {
      // not under that name
    }
  }
  return `nothing owns ${path}`;
}
for (const binary of binaries) {
  const needed = [...execFileSync('readelf', ['-d', binary], { encoding: 'utf8' })
    .matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const ldd = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const missing = [];
  for (const lib of needed) {
    const path = new RegExp(`${lib.replace(/[.+]/g, '\\$&')} => (\\S+)`).exec(ldd)?.[1];
    if (!path) continue;  // the loader itself
    const owner = owner_of(path);
    if (!essential.has(owner) && !new RegExp(`\\s${owner.replace(/[.+]/g, '\\$&')}(\\s|$)`).test(installs))
      missing.push(`${lib} (${owner})`);
  }
  check(`the runtime stage installs what ${binary.split('/').at(-1)} links`, needed.length > 0 && missing.length === 0,
    missing.join(', '));
}

// --- compose.yaml ---------------------------------------------------------------------------------
const compose_text = read('compose.yaml');
const compose = parse(compose_text, { merge: true });  // compose takes YAML's merge keys (<<)
const services = compose.services ?? {};
check('compose.yaml has Postgres, the schema, the sync and the server',
  ['db', 'migrate', 'sync', 'server'].every((s) => s in services), Object.keys(services).join(' '));
const jobs = new Set([...read(entry).matchAll(/^ {2}([a-z|-]+)\)$/gm)].flatMap((m) => m[1].split('|')));
for (const name of ['migrate', 'sync', 'server']) {
  const s = services[name] ?? {};
  check(`${name} runs the image built here`, s.build === '.' && s.image === 'costs:latest');
  check(`${name} starts a job the entrypoint has`, jobs.has(s.command?.[0]), `${s.command?.[0]} not in ${[...jobs]}`);
}
check('the database says when it is ready', (services.db?.healthcheck?.test ?? []).includes('pg_isready'));
check('the schema waits for the database',
  services.migrate?.depends_on?.db?.condition === 'service_healthy');
for (const name of ['sync', 'server'])
  check(`${name} waits for the schema`, services[name]?.depends_on?.migrate?.condition === 'service_completed_successfully');
check('the server reads as costs_reader, not as the owner',
  /^postgresql:\/\/costs_reader:/.test(services.server?.environment?.DATABASE_URL ?? ''));
check('the server\'s port is published on loopback unless told otherwise',
  (services.server?.ports ?? []).some((p) => String(p).startsWith('${COSTS_PUBLISH:-127.0.0.1:8080}:8080')));
check('the database\'s first start makes the reader role',
  (services.db?.volumes ?? []).some((v) => v.startsWith('./deploy/docker/initdb:/docker-entrypoint-initdb.d')) &&
  existsSync(join(root, 'deploy/docker/initdb/10-costs-reader.sh')));
const example = read('deploy/docker/env.example');
const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
const used = [...compose_text.matchAll(/\$\{([A-Z0-9_]+)(:[?-][^}]*)?\}/g)];
const undocumented = used.filter(([, name]) => !documented.has(name)).map(([, name]) => name);
check('every variable compose.yaml reads is in deploy/docker/env.example', undocumented.length === 0,
  [...new Set(undocumented)].join(' '));
// A variable used bare (no default) must be one compose.yaml requires (${NAME:?...}) somewhere.
const bare = used.filter(([, name, rest]) => !rest && !compose_text.includes(`\${${name}:?`)).map(([, name]) => name);
check('a variable used with no default is one compose.yaml requires', bare.length === 0, bare.join(' '));
check('no secret is written into compose.yaml', !/(PASSWORD|TOKEN|KEY|SECRET):\s+[^\s$]/.test(compose_text));

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
