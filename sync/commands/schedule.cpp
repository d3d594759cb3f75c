// costs-sync schedule install|remove|show: run the sync by itself. A launchd agent on macOS,
// a systemd user timer on Linux, or crontab lines where systemd is absent. Two jobs: provider
// APIs every 6 hours and local agent logs every 2 hours (both configurable). Jobs do not see
// the shell's environment, so credentials belong in the config file or ~/.openclaw/credentials.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/error.hpp"
#include "costs/paths.hpp"
#include "costs/secrets.hpp"

namespace costs::sync {
namespace {

namespace fs = std::filesystem;

struct job {
  std::string name;  ///< "api" or "local"
  std::string flag;  ///< "--api-only" or "--local-only"
  std::string what;  ///< for descriptions
  int hours = 0;
};

struct unit_file {
  fs::path path;
  std::string text;
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

// A job names its target on its command line (when the URL holds no password), so it writes
// where the person who installed it meant, whatever the job's environment holds.
std::string carried_target;

std::vector<std::string> command_of(const fs::path& binary, const job& j, const fs::path& log) {
  std::vector<std::string> argv = {binary.string(), "run", j.flag, "--log-file", log.string()};
  if (!carried_target.empty()) argv.insert(argv.end(), {"--target", carried_target});
  return argv;
}

std::vector<unit_file> launchd_files(const fs::path& binary, const std::vector<job>& jobs,
                                     const fs::path& log) {
  std::vector<unit_file> files;
  for (const auto& j : jobs) {
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
           "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
           "<plist version=\"1.0\">\n<dict>\n"
        << "  <key>Label</key>\n  <string>dev.costs.sync." << j.name << "</string>\n"
        << "  <key>ProgramArguments</key>\n  <array>\n";
    for (const auto& arg : command_of(binary, j, log))
      out << "    <string>" << xml_escape(arg) << "</string>\n";
    out << "  </array>\n"
        << "  <key>StartInterval</key>\n  <integer>" << j.hours * 3600 << "</integer>\n"
        << "  <key>RunAtLoad</key>\n  <true/>\n"
        << "  <key>ProcessType</key>\n  <string>Background</string>\n"
        << "</dict>\n</plist>\n";
    files.push_back(
        {home_dir() / "Library" / "LaunchAgents" / ("dev.costs.sync." + j.name + ".plist"),
         out.str()});
  }
  return files;
}

std::vector<unit_file> systemd_files(const fs::path& binary, const std::vector<job>& jobs,
                                     const fs::path& log) {
  std::vector<unit_file> files;
  const fs::path dir = config_dir().parent_path() / "systemd" / "user";
  for (const auto& j : jobs) {
    std::string exec;
    for (const auto& arg : command_of(binary, j, log))
      exec += (exec.empty() ? "" : " ") + shell_quote(arg);
    files.push_back({dir / ("costs-sync-" + j.name + ".service"),
                     "[Unit]\nDescription=costs-sync: " + j.what +
                         "\n\n[Service]\nType=oneshot\nExecStart=" + exec + "\n"});
    files.push_back({dir / ("costs-sync-" + j.name + ".timer"),
                     "[Unit]\nDescription=costs-sync every " + std::to_string(j.hours) +
                         " h: " + j.what +
                         "\n\n[Timer]\nOnBootSec=5min\nOnUnitActiveSec=" + std::to_string(j.hours) +
                         "h\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n"});
  }
  return files;
}

constexpr const char* cron_marker = "# costs-sync schedule";

std::string cron_lines(const fs::path& binary, const std::vector<job>& jobs, const fs::path& log) {
  std::string text;
  for (const auto& j : jobs) {
    std::string cmd;
    for (const auto& arg : command_of(binary, j, log))
      cmd += (cmd.empty() ? "" : " ") + shell_quote(arg);
    text += "0 */" + std::to_string(j.hours) + " * * * " + cmd + " " + cron_marker + " (" + j.name +
            ")\n";
  }
  return text;
}

// Runs a command without a shell; returns its exit status (its output goes to ours).
int run_program(const std::vector<std::string>& argv, const std::string& input = {},
                std::string* output = nullptr) {
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    if (output) dup2(out_pipe[1], 1);
    close(in_pipe[1]);
    close(out_pipe[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (!input.empty()) (void)!write(in_pipe[1], input.data(), input.size());
  close(in_pipe[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buf, sizeof buf)) > 0)
    if (output) output->append(buf, static_cast<std::size_t>(n));
  close(out_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool have(const char* program) {
  return run_program({"sh", "-c", std::string("command -v ") + program + " >/dev/null"}) == 0;
}

std::string current_crontab() {
  std::string text;
  if (run_program({"crontab", "-l"}, {}, &text) != 0) return {};
  return text;
}

std::string without_our_lines(const std::string& crontab) {
  std::istringstream in(crontab);
  std::string line, kept;
  while (std::getline(in, line))
    if (line.find(cron_marker) == std::string::npos) kept += line + "\n";
  return kept;
}

}  // namespace

int schedule_command(const std::vector<std::string>& args) {
  bool dry_run = false;
  int api_hours = 6, local_hours = 2;
  std::string platform = "auto";
  std::string target_flag;
  po::options_description options("schedule options");
  add_target_option(options, target_flag);
  options.add_options()("dry-run", po::bool_switch(&dry_run),
                        "print what would be installed; change nothing")(
      "api-every", po::value(&api_hours)->value_name("HOURS"),
      "provider APIs every HOURS (default 6)")(
      "local-every", po::value(&local_hours)->value_name("HOURS"),
      "local agent logs every HOURS (default 2; 1 when NOTION_TOKEN is set: each run updates "
      "the Notion tracker, whose Cost Log is hourly)")(
      "platform", po::value(&platform)->value_name("NAME"),
      "launchd, systemd or cron (default: launchd on macOS, systemd where it runs, else cron)");
  po::variables_map vm;
  const std::string action =
      parse_action(args, options, vm, "schedule", {"install", "remove", "show"},
                   "costs-sync schedule install|remove|show [--dry-run] [--api-every H] "
                   "[--local-every H] [--platform launchd|systemd|cron]");
  if (action.empty()) return exit_ok;
  // The Notion tracker's Cost Log is kept by the hour: the local job, which updates it, runs
  // hourly unless told otherwise.
  if (!vm.count("local-every") && setting("NOTION_TOKEN")) local_hours = 1;
  if (api_hours < 1 || api_hours > 24 || local_hours < 1 || local_hours > 24)
    throw config_error("cli.usage", "--api-every and --local-every take 1 to 24 hours");
  if (platform == "auto") {
#if defined(__APPLE__)
    platform = "launchd";
#else
    platform = have("systemctl") &&
                       run_program({"systemctl", "--user", "show-environment"}, {}, nullptr) == 0
                   ? "systemd"
                   : "cron";
#endif
  }
  if (platform != "launchd" && platform != "systemd" && platform != "cron")
    throw config_error("cli.usage", "--platform is launchd, systemd or cron");

  const std::string target = resolve_target(target_flag);
  carried_target.clear();
  if (!target.empty() && redact_url(target) == target) {
    carried_target = target;
  } else if (!target.empty() && (!target_flag.empty() || !config_value("COSTS_TARGET"))) {
    throw config_error("schedule.secret_target",
                       "the target holds a password, which a schedule would keep in plain text: "
                       "put COSTS_TARGET = <the URL> in " +
                           config_file().string() +
                           " (scheduled runs read it there) and run this again without --target");
  } else if (target.empty() && action == "install") {
    std::cerr
        << "costs-sync schedule: no target yet; scheduled runs fail until COSTS_TARGET is set "
           "in "
        << config_file().string() << " or scripts/run has made the local database\n";
  }
  const fs::path binary = executable_path().value_or("costs-sync");
  const fs::path log = costs_home() / "logs" / "sync.log";
  const std::vector<job> jobs = {{"api", "--api-only", "provider billing APIs", api_hours},
                                 {"local", "--local-only", "local agent logs", local_hours}};
  std::vector<unit_file> files;
  if (platform == "launchd") files = launchd_files(binary, jobs, log);
  if (platform == "systemd") files = systemd_files(binary, jobs, log);

  if (action == "show") {
    bool any = false;
    for (const auto& f : files) {
      std::ifstream in(f.path);
      if (!in) continue;
      any = true;
      std::cout << "# " << f.path.string() << '\n' << in.rdbuf() << '\n';
    }
    if (platform == "cron") {
      std::istringstream in(current_crontab());
      for (std::string line; std::getline(in, line);)
        if (line.find(cron_marker) != std::string::npos) {
          std::cout << line << '\n';
          any = true;
        }
    }
    if (!any)
      std::cout << "nothing is scheduled (" << platform << "); see 'costs-sync schedule install'\n";
    return exit_ok;
  }

  if (dry_run) {
    for (const auto& f : files) std::cout << "# " << f.path.string() << '\n' << f.text << '\n';
    if (platform == "cron") std::cout << "# crontab lines\n" << cron_lines(binary, jobs, log);
    return exit_ok;
  }

  if (action == "install") {
    std::error_code ec;
    fs::create_directories(log.parent_path(), ec);
    for (const auto& f : files) {
      fs::create_directories(f.path.parent_path(), ec);
      std::ofstream(f.path, std::ios::trunc) << f.text;
    }
    int rc = 0;
    const std::string uid = std::to_string(getuid());
    if (platform == "launchd")
      for (const auto& f : files) {
        run_program({"launchctl", "bootout", "gui/" + uid, f.path.string()});
        rc |= run_program({"launchctl", "bootstrap", "gui/" + uid, f.path.string()});
      }
    if (platform == "systemd") {
      rc |= run_program({"systemctl", "--user", "daemon-reload"});
      rc |= run_program({"systemctl", "--user", "enable", "--now", "costs-sync-api.timer",
                         "costs-sync-local.timer"});
    }
    if (platform == "cron")
      rc |= run_program({"crontab", "-"},
                        without_our_lines(current_crontab()) + cron_lines(binary, jobs, log));
    if (rc != 0)
      throw error("schedule.failed",
                  "the jobs were written but " + platform + " refused to load them; see above");
    std::cout << "scheduled with " << platform << ": provider APIs every " << api_hours
              << " h, local logs every " << local_hours << " h, writing to "
              << (target.empty() ? std::string("(no target yet)") : redact_url(target))
              << "; log: " << log.string() << '\n';
    return exit_ok;
  }

  // remove
  const std::string uid = std::to_string(getuid());
  if (platform == "launchd")
    for (const auto& f : files)
      run_program({"launchctl", "bootout", "gui/" + uid, f.path.string()});
  if (platform == "systemd")
    run_program({"systemctl", "--user", "disable", "--now", "costs-sync-api.timer",
                 "costs-sync-local.timer"});
  for (const auto& f : files) fs::remove(f.path);
  if (platform == "systemd") run_program({"systemctl", "--user", "daemon-reload"});
  if (platform == "cron") run_program({"crontab", "-"}, without_our_lines(current_crontab()));
  std::cout << "removed the " << platform << " schedule\n";
  return exit_ok;
}

}  // namespace costs::sync
