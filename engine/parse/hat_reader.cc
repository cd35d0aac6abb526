// Copyright 2026 The hatmatch Authors.
// The HAT rule-file reader (HAT-RULES.md sections 1 and 4): ParseRules and
// ParseRuleFile of parse.h.
//
// One pass over the lines, a small state machine, no recursion:
//
//   column 0  `$NAME`        opens a policy definition (expects one action
//   line)
//             `ALL`          opens the final rule (expects one policy line)
//             `NAME:`        opens a sender group
//             anything else  an anonymous rule: entries, then one policy line
//   indented  a policy line (`$NAME`, or an action with optional `{` and
//             `(comment)`), `key = value` inside a `{ ... }` block, or entries
//
// A column-0 line closes whatever was open; that is when "group without a
// policy" and friends are reported, at the line that opened the construct.
// Policy references are resolved after the last line, so policies may be
// defined after their first use.  Every error is collected (up to
// ParseOptions::max_errors) and the context is kept consistent after an error
// so that one mistake yields one message, not a cascade.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/base/huge_pages.h"
#include "engine/parse/entry.h"
#include "engine/parse/input_file.h"
#include "engine/parse/text.h"
#include "fmt/format.h"
#include "hatmatch/parse.h"
#include "hatmatch/rules.h"

namespace hatmatch {
namespace {

using parse_internal::AsciiLowerCopy;
using parse_internal::EqualsIgnoreCase;
using parse_internal::IsBlank;
using parse_internal::IsDigit;
using parse_internal::Quote;
using parse_internal::TrimBlanks;

constexpr std::string_view kActions =
    "ACCEPT, REJECT, TCPREFUSE, RELAY or CONTINUE";

bool IsNameChar(char c) {
  return parse_internal::IsAsciiAlpha(c) || IsDigit(c) || c == '_' ||
         c == '.' || c == '-';
}

bool IsName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// The name of an anonymous rule: its line without the surrounding blanks,
// and each run of blanks inside it (spaces, tabs) written as one space, so a
// name never holds a tab and the `name<TAB>action` output stays two fields.
std::string AnonymousRuleName(std::string_view line) {
  std::string name;
  name.reserve(line.size());
  for (char c : TrimBlanks(line)) {
    if (!IsBlank(c)) {
      name += c;
    } else if (name.back() != ' ') {
      name += ' ';
    }
  }
  return name;
}

std::optional<Action> ActionFromWord(std::string_view w) {
  if (EqualsIgnoreCase(w, "accept")) return Action::kAccept;
  if (EqualsIgnoreCase(w, "reject")) return Action::kReject;
  if (EqualsIgnoreCase(w, "tcprefuse")) return Action::kTcpRefuse;
  if (EqualsIgnoreCase(w, "relay")) return Action::kRelay;
  if (EqualsIgnoreCase(w, "continue")) return Action::kContinue;
  return std::nullopt;
}

// The first word of a policy line: up to a blank, '{' or '('.
std::string_view FirstWord(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && !IsBlank(s[i]) && s[i] != '{' && s[i] != '(') ++i;
  return s.substr(0, i);
}

bool IsTlsValue(std::string_view v) {
  for (std::string_view ok : {"off", "preferred", "required",
                              "preferred-verify", "required-verify"}) {
    if (EqualsIgnoreCase(v, ok)) return true;
  }
  return false;
}

uint32_t Clamp32(size_t v) {
  return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v);
}

// Where the entry that starts at line[start] ends: the next ',' outside
// brackets, or the end of the line.  *in_brackets carries over from one
// entry to the next, as a '[' may be left open.
size_t EntryEnd(std::string_view line, size_t start, bool* in_brackets) {
  bool in = *in_brackets;
  size_t i = start;
  for (; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '[') {
      in = true;
    } else if (c == ']') {
      in = false;
    } else if (c == ',' && !in) {
      break;
    }
  }
  *in_brackets = in;
  return i;
}

// A parsed policy line: `$NAME (comment)` or `ACTION [{] (comment)`.
struct PolicyLine {
  bool is_ref = false;
  std::string ref_name;  // as written, without '$'
  Action action = Action::kAccept;
  bool opens_block = false;
  std::string comment;
};

class Reader {
 public:
  Reader(std::string_view text, std::string_view file,
         const ParseOptions& options)
      : text_(text), file_(file), options_(options) {}

  absl::StatusOr<RuleSet> Run(std::vector<Diagnostic>* errors_out);

 private:
  enum class Ctx {
    kNone,     // nothing open: indented lines are errors
    kSwallow,  // after a reported structural error: ignore indented lines
    kPolicyDef,
    kGroup,
    kAnon,
    kAll,
  };

  void Error(SourceLoc loc, std::string msg);
  void Warning(SourceLoc loc, std::string msg) {
    warnings_.push_back(Diagnostic{std::string(file_), loc, std::move(msg)});
  }

  void HandleLine(std::string_view line, uint32_t number);
  void HandleColumn0(std::string_view trimmed, uint32_t number);
  void StartPolicyDefinition(std::string_view trimmed, SourceLoc loc);
  void StartGroup(std::string_view trimmed, SourceLoc loc);
  void OpenRule(std::string_view name, RuleKind kind, SourceLoc loc);
  void HandleIndented(std::string_view trimmed, SourceLoc loc);
  void HandlePolicyDefinitionLine(std::string_view trimmed, SourceLoc loc);
  void HandleRulePolicyLine(std::string_view trimmed, SourceLoc loc);
  void HandleBlockLine(std::string_view trimmed, SourceLoc loc);
  bool ParseBlockValue(std::string_view trimmed, std::string_view rest,
                       SourceLoc loc, PolicyParam* p);
  void CloseContext();
  void ParseEntries(std::string_view line, uint32_t number, size_t col0);
  void AddEntry(std::string_view piece, uint32_t number, size_t col0,
                std::vector<std::string>* warnings);
  bool ParsePolicyLine(std::string_view t, SourceLoc loc, bool allow_ref,
                       PolicyLine* out);
  void OpenBlock(SourceLoc loc, bool named, uint32_t index);
  void SwallowBlockOfBadLine(std::string_view t, SourceLoc loc);
  void Finish();
  void ReserveEntries();

  std::string_view text_;
  std::string_view file_;
  const ParseOptions& options_;

  std::vector<Diagnostic> errors_;
  std::optional<Diagnostic> too_many_;
  size_t error_count_ = 0;
  bool stop_ = false;
  std::vector<Diagnostic> warnings_;

  std::vector<Policy> named_;
  std::vector<Policy> inline_;
  std::vector<Rule> rules_;
  // Reserved up front from the line count (Run), so that it rarely grows.
  std::vector<Entry> entries_;
  // std::unordered_map, not absl::flat_hash_map, for the name maps: this
  // absl's flat_hash_map is left unsafe to destroy when the allocation of
  // its first table throws (its capacity is set first), and the Reader is
  // destroyed while std::bad_alloc unwinds to the C API's guard.
  std::unordered_map<std::string, uint32_t> policy_by_name_;  // -> named_
  std::unordered_map<std::string, uint32_t> group_line_;      // -> line
  struct Ref {
    uint32_t rule;
    std::string name;  // as written
    SourceLoc loc;
  };
  std::vector<Ref> refs_;
  std::vector<std::pair<uint32_t, uint32_t>> inline_of_rule_;  // rule, inline_

  Ctx ctx_ = Ctx::kNone;
  SourceLoc ctx_loc_;
  // kPolicyDef: the definition's index in named_ (nullopt when its name was
  // bad or duplicate) and whether the action line was seen.
  std::optional<uint32_t> def_index_;
  std::string def_name_;
  bool def_has_action_ = false;
  uint32_t def_action_line_ = 0;
  // kGroup / kAnon / kAll.
  bool rule_has_policy_ = false;
  uint32_t rule_policy_line_ = 0;
  // A `{ ... }` block.
  bool in_block_ = false;
  SourceLoc block_loc_;
  bool block_named_ = false;  // target: named_ or inline_
  uint32_t block_index_ = 0;
  std::unordered_map<std::string, uint32_t> block_keys_;  // key -> line

  bool all_seen_ = false;
  bool all_done_ = false;  // ALL and its policy line were read
  bool entries_full_ = false;
  uint32_t quiet_line_ = 0;  // a line already reported as invalid UTF-8
};

void Reader::Error(SourceLoc loc, std::string msg) {
  if (loc.line == quiet_line_) return;
  ++error_count_;
  if (error_count_ <= options_.max_errors) {
    errors_.push_back(Diagnostic{std::string(file_), loc, std::move(msg)});
    return;
  }
  if (!too_many_.has_value()) {
    too_many_ = Diagnostic{
        std::string(file_), loc,
        fmt::format("too many errors; stopped after {}", options_.max_errors)};
  }
  stop_ = true;
}

absl::StatusOr<RuleSet> Reader::Run(std::vector<Diagnostic>* errors_out) {
  if (text_.size() > options_.max_file_bytes) {
    Error({1, 1}, fmt::format("file is larger than the limit of {} bytes",
                              options_.max_file_bytes));
  } else {
    std::string_view rest = text_;
    ReserveEntries();
    // A UTF-8 byte order mark is invisible in editors: columns start after it.
    if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
    size_t number = 0;
    while (!rest.empty() && !stop_) {
      const size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view()
                                          : rest.substr(nl + 1);
      ++number;
      if (number > UINT32_MAX) {
        Error({UINT32_MAX, 1}, "more than 4294967295 lines");
        break;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      HandleLine(line, static_cast<uint32_t>(number));
    }
    // Even when reading stopped early (after ALL, at the entry limit), the
    // open construct is closed and references resolved, so that their errors
    // are reported too; only past max_errors is nothing more said.
    if (!too_many_.has_value()) Finish();
  }

  std::stable_sort(errors_.begin(), errors_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.loc.line != b.loc.line ? a.loc.line < b.loc.line
                                                     : a.loc.col < b.loc.col;
                   });
  if (too_many_.has_value()) errors_.push_back(*too_many_);
  if (!errors_.empty()) {
    std::string msg;
    for (const Diagnostic& d : errors_) {
      if (!msg.empty()) msg += '\n';
      msg += d.ToString();
    }
    if (errors_out != nullptr) {
      errors_out->insert(errors_out->end(), errors_.begin(), errors_.end());
    }
    return absl::InvalidArgumentError(msg);
  }

  std::vector<Policy> policies = std::move(named_);
  const uint32_t base = Clamp32(policies.size());
  for (Policy& p : inline_) policies.push_back(std::move(p));
  for (const auto& [rule, idx] : inline_of_rule_) {
    rules_[rule].policy = base + idx;
  }
  return RuleSet(std::string(file_), std::move(policies), std::move(rules_),
                 std::move(entries_), std::move(warnings_));
}

// Room for one entry per line, the usual layout of a large file; a file of
// several entries per line grows the vector.  Capped so that a hostile file
// of empty lines cannot make the reservation itself exhaust memory.
void Reader::ReserveEntries() {
  constexpr size_t kMaxReserve = size_t{1} << 22;  // 4 M entries
  const size_t lines =
      static_cast<size_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
  base::ReserveHuge(entries_,
                    std::min({lines, options_.max_entries, kMaxReserve}));
}

void Reader::HandleLine(std::string_view line, uint32_t number) {
  if (line.size() > options_.max_line_bytes) {
    Error({number, 1}, fmt::format("line of {} bytes is over the limit of {} "
                                   "bytes",
                                   line.size(), options_.max_line_bytes));
    return;
  }
  // The whole line, comments included: the file is UTF-8 text, and a stray
  // Latin-1 byte would otherwise reach names, parameters and JSON output.
  if (const size_t bad = parse_internal::FirstInvalidUtf8(line);
      bad != std::string_view::npos) {
    Error({number, Clamp32(bad + 1)},
          fmt::format("invalid UTF-8 (byte 0x{:02x}); a rule file is UTF-8 "
                      "text",
                      static_cast<unsigned char>(line[bad])));
    // The line is still read, so that the structure around it stays whole
    // (a policy line with a bad comment is still the group's policy line),
    // but this one error is all it reports.
    quiet_line_ = number;
  }
  const std::string_view trimmed = TrimBlanks(line);
  if (trimmed.empty() || trimmed[0] == '#') return;
  const bool indented = IsBlank(line[0]);
  const SourceLoc loc{number, Clamp32(trimmed.data() - line.data() + 1)};

  if (in_block_) {
    if (indented || trimmed[0] == '}') {
      HandleBlockLine(trimmed, loc);
      return;
    }
    Error(block_loc_,
          "the policy block opened here is never closed; expected "
          "a line with '}' before the next column-0 line");
    in_block_ = false;
  }
  if (all_done_ || (all_seen_ && !indented)) {
    Error(loc,
          "nothing may follow the ALL rule; ALL and its policy line "
          "must come last");
    stop_ = true;
    return;
  }
  if (indented) {
    HandleIndented(trimmed, loc);
  } else {
    CloseContext();
    HandleColumn0(trimmed, number);
  }
}

void Reader::HandleColumn0(std::string_view t, uint32_t number) {
  const SourceLoc loc{number, 1};
  ctx_loc_ = loc;
  if (t[0] == '$') {
    StartPolicyDefinition(t, loc);
    return;
  }
  if (EqualsIgnoreCase(t, "all")) {
    ctx_ = Ctx::kAll;
    all_seen_ = true;
    OpenRule("ALL", RuleKind::kAll, loc);
    return;
  }
  // A line whose only ':' is its last character is meant as a group header:
  // no entry has that shape (IPv6 needs two colons or more).
  if (t.find(':') == t.size() - 1) {
    StartGroup(t, loc);
    return;
  }
  if (t[0] == '}') {
    Error(loc, "'}' without an open policy block");
    ctx_ = Ctx::kSwallow;
    return;
  }
  const std::string_view word = FirstWord(t);
  if (ActionFromWord(word).has_value() &&
      (word.size() == t.size() || !IsNameChar(t[word.size()]))) {
    Error(loc, fmt::format("action {} at column 0; a policy line must be "
                           "indented under its $NAME, group or rule",
                           Quote(word)));
    ctx_ = Ctx::kSwallow;
    return;
  }
  // An anonymous rule: its entries are on this line.
  ctx_ = Ctx::kAnon;
  OpenRule(AnonymousRuleName(t), RuleKind::kAnonymous, loc);
  ParseEntries(t, number, 0);
}

void Reader::OpenRule(std::string_view name, RuleKind kind, SourceLoc loc) {
  rule_has_policy_ = false;
  Rule r;
  r.name = std::string(name);
  r.kind = kind;
  r.first_entry = Clamp32(entries_.size());
  r.loc = loc;
  rules_.push_back(std::move(r));
}

void Reader::StartPolicyDefinition(std::string_view t, SourceLoc loc) {
  ctx_ = Ctx::kPolicyDef;
  def_index_.reset();
  def_has_action_ = false;
  def_name_ = parse_internal::SafeText(t.substr(1), 60);  // messages only
  const std::string_view name = t.substr(1);
  if (!IsName(name)) {
    Error(loc, fmt::format("bad policy name {}; expected $NAME alone on the "
                           "line, NAME made of letters, digits, '_', '.' "
                           "and '-'",
                           Quote(t)));
    return;
  }
  const std::string key = AsciiLowerCopy(name);
  if (auto it = policy_by_name_.find(key); it != policy_by_name_.end()) {
    Error(loc, fmt::format("duplicate policy name ${}; ${} was defined at "
                           "line {} (names are compared case-insensitively)",
                           name, named_[it->second].name,
                           named_[it->second].loc.line));
    return;
  }
  Policy p;
  p.name = std::string(name);
  p.loc = loc;
  def_index_ = Clamp32(named_.size());
  policy_by_name_.emplace(key, *def_index_);
  named_.push_back(std::move(p));
}

void Reader::StartGroup(std::string_view t, SourceLoc loc) {
  const std::string_view name = t.substr(0, t.size() - 1);
  if (!IsName(name)) {
    Error(loc, fmt::format("bad group header {}; expected NAME: with NAME "
                           "made of letters, digits, '_', '.' and '-', and "
                           "nothing else on the line",
                           Quote(t, 60)));
  }
  if (name == "-") {
    Error(loc,
          "a group may not be named \"-\": classify prints `-` for no match");
  }
  if (EqualsIgnoreCase(name, "all")) {
    Error(loc, fmt::format("a group may not be named {}: ALL is the final "
                           "rule, written `ALL` without a colon, and a "
                           "group of that name would match nothing",
                           Quote(name)));
  }
  ctx_ = Ctx::kGroup;
  const std::string key = AsciiLowerCopy(name);
  if (auto it = group_line_.find(key); it != group_line_.end()) {
    Error(loc, fmt::format("duplicate group name {}; a group of that name "
                           "was defined at line {} (names are compared "
                           "case-insensitively)",
                           Quote(name), it->second));
  } else {
    group_line_.emplace(key, loc.line);
  }
  OpenRule(name, RuleKind::kGroup, loc);
}

bool Reader::ParsePolicyLine(std::string_view t, SourceLoc loc, bool allow_ref,
                             PolicyLine* out) {
  std::string_view rest;
  if (t[0] == '$') {
    if (!allow_ref) {
      Error(loc, fmt::format("{} where an action is expected; a policy "
                             "definition needs {}",
                             Quote(t), kActions));
      return false;
    }
    size_t i = 1;
    while (i < t.size() && !IsBlank(t[i]) && t[i] != '(' && t[i] != '{') ++i;
    const std::string_view name = t.substr(1, i - 1);
    if (!IsName(name)) {
      Error(loc, fmt::format("bad policy reference {}; expected $NAME, NAME "
                             "made of letters, digits, '_', '.' and '-'",
                             Quote(t.substr(0, i))));
      return false;
    }
    out->is_ref = true;
    out->ref_name = std::string(name);
    rest = TrimBlanks(t.substr(i));
    if (!rest.empty() && rest[0] == '{') {
      Error(loc, fmt::format("a policy reference ${} cannot take a {{ }} "
                             "block; put parameters in the definition of ${}",
                             name, name));
      return false;
    }
  } else {
    const std::string_view word = FirstWord(t);
    const std::optional<Action> a = ActionFromWord(word);
    if (!a.has_value()) {
      Error(loc, fmt::format("unknown action {}; expected {}{}", Quote(word),
                             kActions, allow_ref ? " or $POLICY" : ""));
      return false;
    }
    out->action = *a;
    rest = TrimBlanks(t.substr(word.size()));
    if (!rest.empty() && rest.back() == '{') {
      out->opens_block = true;
      rest = TrimBlanks(rest.substr(0, rest.size() - 1));
    } else if (!rest.empty() && rest.back() == '}') {
      // `ACCEPT {}`: an empty block on one line.
      std::string_view inner = TrimBlanks(rest.substr(0, rest.size() - 1));
      if (!inner.empty() && inner.back() == '{') {
        rest = TrimBlanks(inner.substr(0, inner.size() - 1));
      }
    }
  }
  if (rest.empty()) return true;
  if (rest.front() == '(' && rest.back() == ')' && rest.size() >= 2) {
    out->comment = std::string(TrimBlanks(rest.substr(1, rest.size() - 2)));
    return true;
  }
  Error(loc, fmt::format("unexpected {} after {}; expected {}(free comment) "
                         "or the end of the line",
                         Quote(rest), Quote(FirstWord(t)),
                         out->is_ref ? "" : "'{' to open parameters, "));
  return false;
}

void Reader::OpenBlock(SourceLoc loc, bool named, uint32_t index) {
  in_block_ = true;
  block_loc_ = loc;
  block_named_ = named;
  block_index_ = index;
  block_keys_.clear();
}

// A refused policy line that ends in '{' still opens its block, so that the
// block's lines are read as parameters (into a scratch policy: the file has
// failed anyway) instead of each being reported as out of place.
void Reader::SwallowBlockOfBadLine(std::string_view t, SourceLoc loc) {
  if (t.back() != '{') return;
  inline_.push_back(Policy{});
  OpenBlock(loc, false, Clamp32(inline_.size() - 1));
}

void Reader::HandleIndented(std::string_view t, SourceLoc loc) {
  switch (ctx_) {
    case Ctx::kSwallow:
      return;
    case Ctx::kNone:
      Error(loc, fmt::format("indented line {} outside any policy "
                             "definition, group or rule; expected a column-0 "
                             "$NAME, NAME:, ALL or entry line first",
                             Quote(t, 60)));
      ctx_ = Ctx::kSwallow;
      return;
    case Ctx::kPolicyDef:
      HandlePolicyDefinitionLine(t, loc);
      return;
    case Ctx::kGroup:
    case Ctx::kAnon:
    case Ctx::kAll:
      break;
  }

  if (t[0] == '}') {
    Error(loc, "'}' without an open policy block");
    return;
  }
  // Every action starts with a letter: addresses skip the word test.
  const bool policy_line =
      t[0] == '$' || (parse_internal::IsAsciiAlpha(t[0]) &&
                      ActionFromWord(FirstWord(t)).has_value());
  if (policy_line) {
    HandleRulePolicyLine(t, loc);
    return;
  }

  if (ctx_ == Ctx::kGroup) {
    // The line is a slice of the file's text, so its column is recovered
    // from the trimmed view's position by ParseEntries' caller: loc.col.
    ParseEntries(t, loc.line, loc.col - 1);
    return;
  }
  if (ctx_ == Ctx::kAll) {
    Error(loc, fmt::format("{} under ALL; ALL takes no entries, only one "
                           "indented policy line",
                           Quote(t, 60)));
    return;
  }
  Error(loc, fmt::format("indented entries {} under the rule {}; a rule "
                         "started by a column-0 entry line takes only one "
                         "indented policy line (use a NAME: group for "
                         "entries on several lines)",
                         Quote(t, 60), Quote(rules_.back().name, 60)));
}

// The action line of a `$NAME` definition.
void Reader::HandlePolicyDefinitionLine(std::string_view t, SourceLoc loc) {
  if (def_has_action_) {
    Error(loc, fmt::format("{} after the action line of ${} (line {}); a "
                           "policy definition has one action line and "
                           "an optional {{ }} block",
                           Quote(t, 60), def_name_, def_action_line_));
    return;
  }
  def_has_action_ = true;
  def_action_line_ = loc.line;
  PolicyLine pl;
  if (!ParsePolicyLine(t, loc, /*allow_ref=*/false, &pl)) {
    SwallowBlockOfBadLine(t, loc);
    return;
  }
  if (def_index_.has_value()) named_[*def_index_].action = pl.action;
  if (pl.opens_block) {
    // A bad definition still gets its block read, for its own errors;
    // the parameters then go to a scratch inline policy.
    if (def_index_.has_value()) {
      OpenBlock(loc, true, *def_index_);
    } else {
      inline_.push_back(Policy{});
      OpenBlock(loc, false, Clamp32(inline_.size() - 1));
    }
  }
}

// The one policy line of a group, an anonymous rule or ALL.
void Reader::HandleRulePolicyLine(std::string_view t, SourceLoc loc) {
  if (rule_has_policy_) {
    Error(loc, fmt::format("second policy line {} for {}; its policy line "
                           "is at line {}, and a rule has exactly one",
                           Quote(t, 60), Quote(rules_.back().name, 60),
                           rule_policy_line_));
    return;
  }
  rule_has_policy_ = true;
  rule_policy_line_ = loc.line;
  PolicyLine pl;
  if (!ParsePolicyLine(t, loc, /*allow_ref=*/true, &pl)) {
    SwallowBlockOfBadLine(t, loc);
    return;
  }
  Rule& r = rules_.back();
  r.comment = std::move(pl.comment);
  const uint32_t rule_index = Clamp32(rules_.size() - 1);
  if (pl.is_ref) {
    refs_.push_back(Ref{rule_index, std::move(pl.ref_name), loc});
  } else {
    Policy p;
    p.action = pl.action;
    p.loc = loc;
    inline_.push_back(std::move(p));
    const uint32_t idx = Clamp32(inline_.size() - 1);
    inline_of_rule_.emplace_back(rule_index, idx);
    if (pl.opens_block) OpenBlock(loc, false, idx);
  }
  if (ctx_ == Ctx::kAll) all_done_ = true;
}

void Reader::HandleBlockLine(std::string_view t, SourceLoc loc) {
  if (t[0] == '}') {
    if (t.size() > 1) {
      Error(loc, fmt::format("unexpected {} after '}}'; expected '}}' alone "
                             "on its line",
                             Quote(TrimBlanks(t.substr(1)), 60)));
    }
    in_block_ = false;
    return;
  }
  size_t i = 0;
  while (i < t.size() && IsNameChar(t[i])) ++i;
  const std::string_view key = t.substr(0, i);
  std::string_view rest = TrimBlanks(t.substr(i));
  if (key.empty() || rest.empty() || rest[0] != '=') {
    Error(loc, fmt::format("{} in a policy block; expected key = value, or "
                           "'}}' to close the block opened at line {}",
                           Quote(t, 60), block_loc_.line));
    return;
  }
  rest = TrimBlanks(rest.substr(1));
  PolicyParam p;
  p.key = AsciiLowerCopy(key);
  if (!ParseBlockValue(t, rest, loc, &p)) return;
  if (p.key == "tls" && !IsTlsValue(p.value)) {
    Error(loc, fmt::format("tls value {} is not one of off, preferred, "
                           "required, preferred-verify, required-verify",
                           Quote(p.value, 60)));
    return;
  }
  if (auto it = block_keys_.find(p.key); it != block_keys_.end()) {
    Error(loc, fmt::format("parameter {} given twice in one block (first at "
                           "line {})",
                           p.key, it->second));
    return;
  }
  block_keys_.emplace(p.key, loc.line);
  Policy& target = block_named_ ? named_[block_index_] : inline_[block_index_];
  target.params.push_back(std::move(p));
}

// The value of a `key = value` block line: a double-quoted string or an
// integer, into p->value (and p->quoted).
bool Reader::ParseBlockValue(std::string_view t, std::string_view rest,
                             SourceLoc loc, PolicyParam* param) {
  PolicyParam& p = *param;
  if (!rest.empty() && rest[0] == '"') {
    // A double-quoted string; \" and \\ are the only escapes.
    size_t k = 1;
    bool closed = false;
    while (k < rest.size()) {
      const char c = rest[k];
      if (c == '\\' && k + 1 < rest.size() &&
          (rest[k + 1] == '"' || rest[k + 1] == '\\')) {
        p.value += rest[k + 1];
        k += 2;
        continue;
      }
      if (c == '"') {
        closed = true;
        ++k;
        break;
      }
      p.value += c;
      ++k;
    }
    if (!closed) {
      Error(loc, fmt::format("unterminated string in {}; expected a closing "
                             "'\"'",
                             Quote(t, 60)));
      return false;
    }
    if (k != rest.size()) {
      Error(loc, fmt::format("unexpected {} after the value of {}; expected "
                             "the end of the line",
                             Quote(TrimBlanks(rest.substr(k)), 60), p.key));
      return false;
    }
    p.quoted = true;
  } else {
    size_t k = 0;
    if (k < rest.size() && rest[k] == '-') ++k;
    const size_t digits = k;
    while (k < rest.size() && IsDigit(rest[k])) ++k;
    if (rest.empty() || k == digits || k != rest.size()) {
      Error(loc, fmt::format("value {} of {} is neither an integer nor a "
                             "double-quoted string",
                             Quote(rest, 60), p.key));
      return false;
    }
    p.value = std::string(rest);
  }
  return true;
}

void Reader::ParseEntries(std::string_view line, uint32_t number, size_t col0) {
  bool in_brackets = false;
  std::vector<std::string> warnings;
  for (size_t start = 0; !stop_;) {
    const size_t end = EntryEnd(line, start, &in_brackets);
    AddEntry(line.substr(start, end - start), number, col0 + start, &warnings);
    if (end == line.size()) break;
    start = end + 1;
  }
}

// One comma-separated piece of an entry line, which starts at column
// col0 + 1.  `warnings` is scratch space, kept across the pieces.
void Reader::AddEntry(std::string_view piece, uint32_t number, size_t col0,
                      std::vector<std::string>* warnings) {
  size_t lead = 0;
  while (lead < piece.size() && IsBlank(piece[lead])) ++lead;
  piece = TrimBlanks(piece);
  const SourceLoc loc{number, Clamp32(col0 + lead + 1)};
  if (piece.empty()) {
    Error(loc,
          "empty entry (a comma with nothing before or after it); "
          "expected an address, a hostname or a criterion");
    return;
  }
  if (entries_.size() >= options_.max_entries) {
    if (!entries_full_) {
      entries_full_ = true;
      Error(loc, fmt::format("more than {} entries, the limit",
                             options_.max_entries));
    }
    stop_ = true;
    return;
  }
  // Parsed in place: no Entry to move into the vector and destroy.
  Entry& e = entries_.emplace_back();
  std::string error;
  warnings->clear();
  if (!parse_internal::ParseEntryText(piece, &e.value, &error, warnings)) {
    entries_.pop_back();
    Error(loc, std::move(error));
    return;
  }
  for (std::string& w : *warnings) Warning(loc, std::move(w));
  e.text.assign(piece);
  e.loc = loc;
  e.rule = Clamp32(rules_.size() - 1);
}

void Reader::CloseContext() {
  switch (ctx_) {
    case Ctx::kNone:
    case Ctx::kSwallow:
      break;
    case Ctx::kPolicyDef:
      if (!def_has_action_) {
        Error(ctx_loc_, fmt::format("policy ${} has no action line; expected "
                                    "an indented {} under it",
                                    def_name_, kActions));
      }
      break;
    case Ctx::kGroup:
    case Ctx::kAnon:
    case Ctx::kAll: {
      Rule& r = rules_.back();
      r.entry_count = Clamp32(entries_.size() - r.first_entry);
      if (ctx_ == Ctx::kGroup && r.entry_count == 0) {
        Warning(ctx_loc_, fmt::format("group {} has no entries; it matches "
                                      "no connection",
                                      Quote(r.name, 60)));
      }
      if (!rule_has_policy_) {
        const char* what = ctx_ == Ctx::kGroup ? "group"
                           : ctx_ == Ctx::kAll ? "rule"
                                               : "rule";
        Error(ctx_loc_, fmt::format("{} {} has no policy line; expected an "
                                    "indented $POLICY or action ({}) line",
                                    what, Quote(r.name, 60), kActions));
      }
      break;
    }
  }
  ctx_ = Ctx::kNone;
}

void Reader::Finish() {
  // At the entry limit the file goes on in lines not read: the open construct
  // may be completed there and a policy defined there, so neither is judged.
  if (entries_full_) return;
  if (in_block_) {
    Error(block_loc_,
          "the policy block opened here is never closed; expected "
          "a line with '}' before the end of the file");
    in_block_ = false;
  }
  CloseContext();
  for (const Ref& ref : refs_) {
    const auto it = policy_by_name_.find(AsciiLowerCopy(ref.name));
    if (it == policy_by_name_.end()) {
      Error(ref.loc, fmt::format("undefined policy ${}; expected a policy "
                                 "defined with ${} at column 0 and an "
                                 "indented action line",
                                 ref.name, ref.name));
      continue;
    }
    rules_[ref.rule].policy = it->second;
  }
}

}  // namespace

absl::StatusOr<RuleSet> ParseRules(std::string_view text, std::string_view file,
                                   const ParseOptions& options,
                                   std::vector<Diagnostic>* errors) {
  Reader reader(text, file, options);
  return reader.Run(errors);
}

absl::StatusOr<RuleSet> ParseRuleFile(const std::string& path,
                                      const ParseOptions& options,
                                      std::vector<Diagnostic>* errors) {
  absl::StatusOr<parse_internal::InputFile> in =
      parse_internal::InputFile::Open(path, "rule file");
  if (!in.ok()) return in.status();
  std::string text;
  if (absl::Status s = in->ReadRuleText(options, &text); !s.ok()) return s;
  return ParseRules(text, path, options, errors);
}

}  // namespace hatmatch
