// Copyright 2026 The hatmatch Authors.
//
// gen_command.cc: `hatmatch gen rules|traffic`, deterministic synthetic input.
//
// Both subcommands take the rule-shape flags, so that `gen traffic` with the
// flags of an earlier `gen rules` draws its hits from exactly that rule set
// without reading the file back.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/cli/command.h"
#include "engine/cli/common.h"
#include "engine/cli/flags.h"
#include "engine/cli/output_path.h"
#include "engine/gen/rule_gen.h"
#include "engine/gen/traffic_gen.h"
#include "fmt/format.h"

namespace hatmatch::cli {
namespace {

constexpr std::string_view kUsage =
    R"(usage: hatmatch gen rules [FLAGS] [-o FILE]
       hatmatch gen traffic [FLAGS] [TRAFFIC FLAGS] [-o FILE]

Writes synthetic input, the same bytes for the same flags.  `gen rules` writes
a HAT rule file; `gen traffic` writes connections in the `hatmatch classify`
input format, drawing hits from the rule set the same rule flags generate.
Counts accept k and M suffixes (100k, 1M); ratios lie in [0, 1].

rule flags:
  --seed N            random seed (default 1)
  --groups N          sender groups (default 100; each gets >= 1 entry)
  --ipv4 N            IPv4 entries (default 1000)
  --ipv6 N            IPv6 entries (default 0)
  --hosts N           hostname entries (default 0)
  --v4-lengths SPEC   prefix-length weights, LEN:WEIGHT,... (default: the
                      global BGP table: 24:53,22:10,23:10,16..21:25,32:2)
  --v6-lengths SPEC   same for IPv6 (default: 48:44,32:26,... like BGP)
  --nesting R         entries strictly inside an earlier entry (0.05)
  --overlap R         entries on or around another rule's entry (0.02)
  --partial-hosts R   partial names (.example.com) among hostnames (0.7)
  --criteria R        rules with sbrs / DNS criteria entries (0.05)
  --continue R        rules whose action is CONTINUE (0)
  --anonymous R       small rules written as anonymous rules (0)
  --variety R         entries in non-canonical forms: 10.1., ranges, case (0)
  --all               end with `ALL $ACCEPTED`
  --per-line N        entries per line in groups (default 1)

traffic flags:
  --rules FILE        draw hits from this rule file instead of the rule set
                      the rule flags generate
  --traffic-seed N    seed of the traffic (default 1)
  --count N           connections (default 10000; at most 16M)
  --ipv6-share R      IPv6 connections (0)
  --hit-ratio R       addresses and names drawn inside entries (0.9)
  --zipf S            Zipf exponent of source popularity, 0 = uniform (0)
  --population N      distinct sources when --zipf > 0 (default: --count)
  --ptr-share R       connections with a verified ptr= (0.5)
  --dns-failure R     connections with dns=nx|servfail|mismatch (0.1)
  --sbrs-share R      connections with a score (0.7)
  --sbo-share R       connections with sbo= (0.2)
  --dnslist-share R   connections with dnslist= (0.05)

  -o, --output FILE   write there instead of standard output (a regular
                      file: a device, FIFO or symbolic link is refused)
)";

bool ParseCount(std::string_view text, size_t* out) {
  double mult = 1;
  std::string t(text);
  if (!t.empty()) {
    const char last = absl::ascii_tolower(t.back());
    if (last == 'k') mult = 1e3;
    if (last == 'm') mult = 1e6;
    if (mult != 1) t.pop_back();
  }
  double v;
  if (!absl::SimpleAtod(t, &v) || !(v >= 0) || v * mult > 1e15) return false;
  v *= mult;
  if (v != std::floor(v)) return false;
  *out = static_cast<size_t>(v);
  return true;
}

// A flag handler that parses its value with `parse` into *out, or names the
// value as not `what` ("a count", "a seed", "a number").
template <class T, class Parse>
Flags::Handler ParsedFlag(T* out, Parse parse, std::string_view what) {
  return [out, parse, what](std::string_view v) {
    return parse(v, out) ? absl::OkStatus()
                         : absl::InvalidArgumentError(
                               fmt::format("{} is not {}", QuoteArg(v), what));
  };
}

Flags::Handler CountFlag(size_t* out) {
  return ParsedFlag(out, ParseCount, "a count");
}
Flags::Handler SeedFlag(uint64_t* out) {
  return ParsedFlag(
      out,
      [](std::string_view v, uint64_t* o) {
        return absl::SimpleAtoi(absl::string_view(v.data(), v.size()), o);
      },
      "a seed");
}
Flags::Handler RealFlag(double* out) {
  return ParsedFlag(
      out,
      [](std::string_view v, double* o) {
        return absl::SimpleAtod(absl::string_view(v.data(), v.size()), o) &&
               std::isfinite(*o);
      },
      "a number");
}
// Prefix-length weights for addresses of `bits` bits (--v4-lengths SPEC).
Flags::Handler LengthsFlag(int bits, std::vector<gen::LengthWeight>* out) {
  return [bits, out](std::string_view v) -> absl::Status {
    absl::StatusOr<std::vector<gen::LengthWeight>> w =
        gen::ParseLengthWeights(v, bits);
    if (!w.ok()) return w.status();
    *out = *std::move(w);
    return absl::OkStatus();
  };
}

int Usage(absl::string_view why) {
  return Flags("gen", kUsage)
      .UsageError(std::string_view(why.data(), why.size()));
}

// Everything the flags of one `hatmatch gen` run set.
struct GenRequest {
  bool traffic = false;
  gen::RuleGenOptions rules;
  gen::TrafficOptions traffic_options;
  size_t per_line = 1;
  std::string output;
  std::string rules_file;
};

void AddRuleFlags(Flags& f, GenRequest* req) {
  gen::RuleGenOptions& ro = req->rules;
  f.Value({"--seed"}, SeedFlag(&ro.seed));
  f.Value({"--groups"}, CountFlag(&ro.groups));
  f.Value({"--ipv4"}, CountFlag(&ro.ipv4_entries));
  f.Value({"--ipv6"}, CountFlag(&ro.ipv6_entries));
  f.Value({"--hosts"}, CountFlag(&ro.host_entries));
  f.Value({"--v4-lengths"}, LengthsFlag(32, &ro.ipv4_lengths));
  f.Value({"--v6-lengths"}, LengthsFlag(128, &ro.ipv6_lengths));
  f.Value({"--nesting"}, RealFlag(&ro.nesting));
  f.Value({"--overlap"}, RealFlag(&ro.overlap));
  f.Value({"--partial-hosts"}, RealFlag(&ro.partial_hosts));
  f.Value({"--criteria"}, RealFlag(&ro.criteria));
  f.Value({"--continue"}, RealFlag(&ro.continue_rules));
  f.Value({"--anonymous"}, RealFlag(&ro.anonymous));
  f.Value({"--variety"}, RealFlag(&ro.variety));
  f.Switch({"--all"}, &ro.all);
  f.Value({"--per-line"}, CountFlag(&req->per_line));
  f.String({"-o", "--output"}, &req->output);
}

void AddTrafficFlags(Flags& f, GenRequest* req) {
  gen::TrafficOptions& to = req->traffic_options;
  f.String({"--rules"}, &req->rules_file);
  f.Value({"--traffic-seed"}, SeedFlag(&to.seed));
  f.Value({"--count"}, CountFlag(&to.count));
  f.Value({"--ipv6-share"}, RealFlag(&to.ipv6_share));
  f.Value({"--hit-ratio"}, RealFlag(&to.hit_ratio));
  f.Value({"--zipf"}, RealFlag(&to.zipf));
  f.Value({"--population"}, CountFlag(&to.population));
  f.Value({"--ptr-share"}, RealFlag(&to.ptr_share));
  f.Value({"--dns-failure"}, RealFlag(&to.dns_failure));
  f.Value({"--sbrs-share"}, RealFlag(&to.sbrs_share));
  f.Value({"--sbo-share"}, RealFlag(&to.sbo_share));
  f.Value({"--dnslist-share"}, RealFlag(&to.dnslist_share));
}

// Parses and checks the flags after `rules` / `traffic` into *req; an exit
// status when the run ends here (--help, a bad flag or value).
std::optional<int> ParseGenRequest(const CommandArgs& args, GenRequest* req) {
  req->traffic = args[0] == "traffic";
  Flags f("gen", kUsage);
  AddRuleFlags(f, req);
  if (req->traffic) AddTrafficFlags(f, req);
  std::vector<std::string> extra;
  if (std::optional<int> done = f.Parse(args, &extra, 1)) return *done;
  if (!extra.empty()) {
    return Usage(absl::StrCat("unexpected argument ", QuoteArg(extra[0])));
  }
  if (absl::Status s = gen::ValidateRuleGenOptions(req->rules); !s.ok()) {
    return Usage(s.message());
  }
  if (absl::Status s = gen::ValidateTrafficOptions(req->traffic_options);
      !s.ok()) {
    return Usage(s.message());
  }
  if (req->per_line == 0) return Usage("--per-line must be at least 1");
  if (!req->output.empty()) req->rules.file = req->output;
  return std::nullopt;
}

// The rule set to write or to draw traffic from: --rules FILE when given,
// else the one the rule flags generate.  Sets *exit_code when there is none.
std::optional<RuleSet> RulesFor(const GenRequest& req, int* exit_code) {
  if (!req.rules_file.empty()) {
    std::optional<Loaded> loaded = LoadRules(req.rules_file, {.rules = true});
    if (!loaded) {
      *exit_code = 1;
      return std::nullopt;
    }
    return *std::move(loaded->rules);
  }
  absl::StatusOr<RuleSet> rules = gen::GenerateRuleSet(req.rules);
  if (!rules.ok()) {
    *exit_code = Usage(rules.status().message());
    return std::nullopt;
  }
  return *std::move(rules);
}

// Standard output, or `file` opened on --output; null (after saying why) when
// the output path is refused or cannot be written.
std::ostream* OpenOutput(const GenRequest& req, std::ofstream& file) {
  if (req.output.empty()) return &std::cout;
  if (absl::Status s = CheckOutputPath(req.rules_file, req.output); !s.ok()) {
    std::fprintf(stderr, "hatmatch gen: %s\n",
                 std::string(s.message()).c_str());
    return nullptr;
  }
  file.open(req.output, std::ios::binary | std::ios::trunc);
  if (!file) {
    std::fprintf(stderr, "hatmatch gen: cannot write %s\n", req.output.c_str());
    return nullptr;
  }
  return &file;
}

// Writes the traffic or the rule file to *out; the exit status.
int WriteGenerated(const GenRequest& req, const RuleSet& rules,
                   std::ostream* out) {
  if (req.traffic) {
    absl::StatusOr<std::vector<Connection>> conns =
        gen::GenerateTraffic(rules, req.traffic_options);
    if (!conns.ok()) return Usage(conns.status().message());
    gen::WriteTraffic(*conns, *out);
  } else {
    gen::WriteOptions wo;
    wo.entries_per_line = req.per_line;
    wo.header = absl::StrCat("generated by: hatmatch gen rules ",
                             gen::DescribeRuleGenOptions(req.rules));
    gen::WriteHat(rules, *out, wo);
  }
  out->flush();
  if (!*out) {
    std::fprintf(stderr, "hatmatch gen: write error\n");
    return 1;
  }
  return 0;
}

int RunGen(const CommandArgs& args) {
  if (args.empty() || (args[0] != "rules" && args[0] != "traffic")) {
    std::vector<std::string> ignored;
    if (std::optional<int> done = Flags("gen", kUsage).Parse(args, &ignored)) {
      return *done;  // --help, or an unknown flag
    }
    return Usage("expected `rules` or `traffic`");
  }
  GenRequest req;
  if (std::optional<int> done = ParseGenRequest(args, &req)) return *done;
  int exit_code = 0;
  std::optional<RuleSet> rules = RulesFor(req, &exit_code);
  if (!rules) return exit_code;
  std::ofstream file;
  std::ostream* out = OpenOutput(req, file);
  if (out == nullptr) return 1;
  return WriteGenerated(req, *rules, out);
}

}  // namespace

HATMATCH_REGISTER_COMMAND(gen, "write synthetic rule files or traffic", RunGen,
                          1);

}  // namespace hatmatch::cli
