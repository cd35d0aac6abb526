// Copyright 2026 The hatmatch Authors.

#include "tests/testing/shell.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace hatmatch::testing {

RunResult RunShell(const std::string& script) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path dir =
      fs::temp_directory_path() / ("hatmatch_sh_" + std::to_string(::getpid()) +
                                   "_" + std::to_string(counter++));
  fs::create_directories(dir / "tmp");
  const fs::path file = dir / "script.sh";
  {
    std::ofstream f(file, std::ios::binary);
    f << "set -u\nexport HATMATCH='" << HATMATCH_BINARY << "'\nexport CRES='"
      << SourcePath("data/cres.hat") << "'\nexport TMP='"
      << (dir / "tmp").string() << "'\ncd \"$TMP\"\n"
      << script << "\n";
  }
  const std::string cmd = "bash '" + file.string() + "' >'" +
                          (dir / "out").string() + "' 2>'" +
                          (dir / "err").string() + "' </dev/null";
  RunResult r;
  const int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(dir / "out");
  r.err = ReadFile(dir / "err");
  fs::remove_all(dir);
  return r;
}

}  // namespace hatmatch::testing
