// Copyright 2026 The hatmatch Authors.
//
// flags.h: the one command-line parser of every subcommand.
//
//   Flags flags("classify", kUsage);
//   bool json = false;
//   flags.Switch("--json", &json);
//   std::vector<std::string> rules;
//   if (std::optional<int> done = flags.Parse(args, &rules)) return *done;
//   if (rules.size() != 1) return flags.UsageError("expected one RULES");
//
// The same rules hold for every command:
//   - `-h` / `--help` anywhere prints the usage on standard output; Parse
//     returns 0 (the caller returns it; main checks the write).
//   - A word starting with `-` (other than `-` alone) is a flag.  An unknown
//     flag, a missing value or a value its handler refuses is a usage error:
//     one line on standard error naming the flag, a pointer to --help, and
//     exit status 2.
//   - A value flag takes `--name VALUE` or `--name=VALUE`; a switch refuses a
//     value.  `--` ends the flags: every later word is positional.
//   - Every other word is positional, in order.

#ifndef HATMATCH_ENGINE_CLI_FLAGS_H_
#define HATMATCH_ENGINE_CLI_FLAGS_H_

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "engine/cli/command.h"
#include "fmt/format.h"

namespace hatmatch::cli {

class Flags {
 public:
  // Checks a flag's value; a non-OK status is reported as a usage error.
  using Handler = std::function<absl::Status(std::string_view value)>;

  Flags(std::string_view command, std::string_view usage)
      : command_(command), usage_(usage) {}

  // `names` holds every spelling of one flag ({"-o", "--output"}).
  void Switch(std::initializer_list<std::string_view> names, bool* on);
  void Value(std::initializer_list<std::string_view> names, Handler handler);
  void String(std::initializer_list<std::string_view> names, std::string* out);

  // Parses args[first...].  Returns nullopt when the command should go on,
  // or the exit status it should return (0 after --help, 2 on a usage
  // error, already reported).
  std::optional<int> Parse(const CommandArgs& args,
                           std::vector<std::string>* positional,
                           size_t first = 0) const;

  // Reports a usage error of this command on standard error; returns 2.
  int UsageError(std::string_view why) const;

 private:
  std::string command_;
  std::string_view usage_;
  std::map<std::string, bool*, std::less<>> switches_;
  std::map<std::string, Handler, std::less<>> values_;
};

// A message fragment that quotes a command-line word so that control bytes
// in it cannot reach the terminal raw.
std::string QuoteArg(std::string_view word);

// A Value() handler for a plain decimal count: digits only (SimpleAtoi
// refuses a sign into an unsigned type, and anything that is not a number),
// into *out.  The error quotes the value with QuoteArg.
template <class T>
Flags::Handler CountValue(T* out) {
  static_assert(std::is_unsigned_v<T>);
  return [out](std::string_view v) {
    return absl::SimpleAtoi(absl::string_view(v.data(), v.size()), out)
               ? absl::OkStatus()
               : absl::InvalidArgumentError(
                     fmt::format("{} is not a count", QuoteArg(v)));
  };
}

}  // namespace hatmatch::cli

#endif  // HATMATCH_ENGINE_CLI_FLAGS_H_
