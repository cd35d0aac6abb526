// Copyright 2026 The hatmatch Authors.
//
// main.cc: `hatmatch SUBCOMMAND [ARGS]` dispatch, --help and --version, and
// the two things every command gets the same way: standard descriptors that
// are never reused, and a check that standard output was really written.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cli/command.h"
#include "engine/cli/flags.h"

namespace hatmatch::cli {
namespace {

std::vector<Command>& Registry() {
  static std::vector<Command> commands;
  return commands;
}

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "usage: hatmatch COMMAND [ARGS]\n\n"
               "Classifies SMTP connections into sender groups of a Host "
               "Access Table.\n\ncommands:\n");
  for (const Command& c : Commands()) {
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()),
                 c.name.data(), static_cast<int>(c.summary.size()),
                 c.summary.data());
  }
  std::fprintf(out,
               "\n`hatmatch COMMAND --help` describes one command.\n"
               "`hatmatch --version` prints the version.\n");
}

// A closed standard descriptor (`>&-`) would be taken by the next open():
// a rule file, or the temporary table file of `compile`, would then receive
// what the program prints.  Each closed one is filled with /dev/null opened
// in the direction that makes its use fail (stdout read-only, stdin
// write-only), so the failure is seen and reported instead.
void OccupyClosedStandardDescriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int got = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY));
    if (got != fd && got >= 0) close(got);  // cannot happen: lowest free fd
  }
}

// Flushes and closes standard output; on a failure says so on stderr and
// returns `error_status`, else `status`.
int FinishStdout(std::string_view who, int status, int error_status) {
  const bool earlier = std::ferror(stdout) != 0;
  errno = 0;
  const bool flush_failed = std::fflush(stdout) != 0;
  const int err = errno;
  const bool close_failed = std::fclose(stdout) != 0;
  if (!earlier && !flush_failed && !close_failed) return status;
  std::fprintf(
      stderr, "%.*s: writing standard output: %s\n",
      static_cast<int>(who.size()), who.data(),
      flush_failed && err != 0 ? std::strerror(err) : "a write failed");
  return error_status;
}

}  // namespace

bool RegisterCommand(Command c) {
  auto& r = Registry();
  r.push_back(c);
  std::sort(r.begin(), r.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  return true;
}

const std::vector<Command>& Commands() { return Registry(); }

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string_view first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    PrintUsage(stdout);
    return FinishStdout("hatmatch", 0, 1);
  }
  if (first == "--version" || first == "version") {
    std::printf("hatmatch %s\n", HATMATCH_VERSION);
    return FinishStdout("hatmatch", 0, 1);
  }
  for (const Command& c : Commands()) {
    if (c.name != first) continue;
    const int status = c.run(CommandArgs(argv + 2, argv + argc));
    return FinishStdout("hatmatch " + std::string(c.name), status,
                        c.error_status);
  }
  std::fprintf(stderr, "hatmatch: unknown command %s\n\n",
               QuoteArg(first).c_str());
  PrintUsage(stderr);
  return 2;
}

}  // namespace hatmatch::cli

int main(int argc, char** argv) {
  hatmatch::cli::OccupyClosedStandardDescriptors();
  return hatmatch::cli::Main(argc, argv);
}
