// Copyright 2026 The hatmatch Authors.
//
// analysis.h: explain a decision, lint a rule file, diff two rule files.
//
// All three work on parsed RuleSets (rules.h) and are exact: nothing is
// sampled.  They rest on one fact (rules.h): a rule matches when any of its
// entries matches, entries of different kinds look at independent parts of
// the connection, so the deciding rule is the minimum, over the dimensions
// (address, hostname + DNS state, score, owner, DNS lists) and ALL, of "the
// first rule that can decide with an entry of that kind matching".
//
// Explain(rules, conn)
//   The reference classifier's decision (reference.h), every other matching
//   entry and why it did not decide (an earlier rule won; the rule's policy is
//   CONTINUE; an earlier entry of the same rule matched first), and the
//   inputs that were ignored and why (PTR not verified, IPv4-mapped address,
//   no score, ...).  Cost: an Explainer indexes the rule set once
//   (O(n log n)); each connection then costs O((1 + matches) log n) plus its
//   own size, whatever the size of the rule set.
//
// Lint(rules, options)
//   Warnings with stable codes (LintCodes() lists them; docs/ANALYSIS.md
//   explains them).  Shadowing is computed exactly: an entry is reported
//   when the union of the entries of earlier rules that can decide covers
//   every connection the entry matches; CONTINUE rules never shadow.  Cost:
//   O(n log n) time and O(n) memory in the number of entries, plus the
//   total length of the hostnames, plus the warnings kept: at most
//   LintOptions::max_warnings of them (a crafted file has millions), the
//   rest only counted.
//
// Diff(old, new)
//   The exact semantic difference.  Rules are identified across files by
//   name (case-insensitive) and action, so reordering rules that never match
//   the same connection changes nothing.  A connection's decision depends on
//   its address and on its "context": the first rule, in each file, that one
//   of its non-address inputs (verified PTR name, DNS state, score, owner,
//   DNS lists) or ALL brings in.  Diff enumerates every context that some
//   connection realizes (with a witness), and for each one the coalesced
//   address ranges whose decision changes.  The address-only context (no
//   ptr, no dns, no score, no owner, no lists) always comes first.  Cost:
//   O(n log n) for the maps, then O(C * P + output): C contexts, at most
//   (k_old + 2) * (k_new + 2) for k rules with non-address entries (a
//   handful in real files), each decided per distinct (old rule, new rule)
//   pair of the merged address segments (P, about the number of address
//   rules), visiting only the segments whose pair changes.  A crafted pair
//   reaches the (k_old + 2) * (k_new + 2) bound, so the cost is bounded by
//   DiffOptions: past max_contexts or max_work, Diff stops with a status
//   (DiffResult::status, DiffWalk::status) instead of running for hours.
//
// Formatting helpers render results as the `hatmatch explain|lint|diff`
// commands print them, as text or one JSON document.

#ifndef HATMATCH_ANALYSIS_H_
#define HATMATCH_ANALYSIS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "hatmatch/address.h"
#include "hatmatch/connection.h"
#include "hatmatch/decision.h"
#include "hatmatch/rules.h"

namespace hatmatch {

// --- explain ----------------------------------------------------------------

enum class MatchRole : uint8_t {
  kDecided,          // this entry (or ALL) decided
  kSameRuleEarlier,  // the deciding rule, but an earlier entry of it decided
  kEarlierRuleWon,   // a rule above this one decided
  kContinue,         // the rule's policy is CONTINUE: it never decides
};
std::string_view MatchRoleName(MatchRole r);  // "decided", "continue", ...

struct ExplainedMatch {
  uint32_t rule = kNoRule;
  uint32_t entry = kNoEntry;  // kNoEntry for ALL (matches every connection)
  MatchRole role = MatchRole::kDecided;
};

enum class IgnoredReason : uint8_t {
  kNoDnsInfo,       // no ptr=, no dns=: hostname and DNS-state entries idle
  kPtrNotVerified,  // ptr= beside dns=: the name is not used
  kPtrInvalid,      // verified ptr= that is not a hostname: matches nothing
  kMappedIpv4,      // IPv6 spelling of an IPv4 host: IPv6 entries idle
  kNoSbrs,          // no score: sbrs ranges cannot match
  kUnusedDnsList,   // a dnslist= zone that no entry names
};
std::string_view IgnoredReasonName(IgnoredReason r);  // "ptr-not-verified"...

struct IgnoredInput {
  IgnoredReason reason;
  std::string input;    // the input concerned, e.g. "ptr=mx.example.com"
  std::string message;  // a sentence: what was ignored and why
  size_t entries = 0;   // entries of the rules that this made inapplicable
};

struct Explanation {
  Decision decision;                    // as ReferenceClassifier::Classify
  std::vector<ExplainedMatch> matches;  // every match, in file order
  std::vector<IgnoredInput> ignored;
};

// `address_text`, the address as written when known, lets Explain say that
// an IPv6 spelling of an IPv4 host (which ParseConnection already turned
// into IPv4) was treated as IPv4.
Explanation Explain(const RuleSet& rules, const Connection& conn,
                    std::string_view address_text = {});

// Explains many connections against one rule set (which must outlive it):
// the entries are indexed once, so a connection costs what it matches, not
// what the file holds.  Explain(rules, conn) builds one for a single call.
// Explain() is const and may run on several threads at once.
class Explainer {
 public:
  explicit Explainer(const RuleSet& rules);
  ~Explainer();
  Explainer(const Explainer&) = delete;
  Explainer& operator=(const Explainer&) = delete;

  Explanation Explain(const Connection& conn,
                      std::string_view address_text = {}) const;

  // Index nodes, entries and zones looked at by the calls so far: tests
  // check that it follows the matches rather than the size of the file.
  size_t work() const;

 private:
  struct Index;
  const RuleSet& rules_;
  std::unique_ptr<const Index> index_;
};

// The connection as a classify input line (canonical spelling).
std::string FormatConnection(const Connection& conn);

// Multi-line text (ends with a newline) and a one-line JSON object.
std::string ExplanationText(const RuleSet& rules, const Connection& conn,
                            const Explanation& ex);
std::string ExplanationJson(const RuleSet& rules, const Connection& conn,
                            const Explanation& ex);

// --- lint -------------------------------------------------------------------

struct LintCode {
  std::string_view code;     // stable, e.g. "shadowed-ip"
  std::string_view summary;  // one line
};
// Every code Lint() can produce, in the order docs/ANALYSIS.md lists them.
const std::vector<LintCode>& LintCodes();

struct LintWarning {
  std::string_view code;  // one of LintCodes()
  SourceLoc loc;
  std::string message;
  uint32_t rule = kNoRule;    // the rule concerned, if any
  uint32_t entry = kNoEntry;  // the entry concerned, if any
  std::string ToString(std::string_view file) const;
  // "file:line:col: warning[code]: message"
};

// How many warnings Lint keeps; 0 means every one.  A warning is about
// 0.3 to 1 KB, and a crafted file of 1M entries has 1M to 3M of them
// (gigabytes).  The default bounds that to about 100 MB, like a compiler's
// error limit, and is above every realistic file measured: the generated
// 130k-entry file has 25k warnings, the public-suffix list 16k (a full
// BGP table, 289k, is cut; docs/ANALYSIS.md).
inline constexpr size_t kLintMaxWarnings = 100'000;
struct LintOptions {
  size_t max_warnings = kLintMaxWarnings;
};

struct LintCount {
  std::string_view code;  // one of LintCodes()
  size_t count = 0;
};

struct LintResult {
  // The first max_warnings warnings in output order (all when 0), each
  // exactly as an unlimited run gives it.
  std::vector<LintWarning> warnings;
  size_t total = 0;               // every warning found, kept or not
  std::vector<LintCount> counts;  // of all warnings, per code with any, in
                                  // LintCodes() order
  size_t max_warnings = 0;        // the limit applied (0: none)
  size_t omitted() const { return total - warnings.size(); }
};

// Sorted by position (ties in a fixed order).  Each entry gets at most one
// of unmatchable-entry, duplicate-entry, shadowed-*, overlap-in-rule (in
// that precedence).  Memory for warnings is O(max_warnings): the findings
// are counted as they are made and a message is formatted only for a
// warning that is, so far, among the first max_warnings by position.
LintResult Lint(const RuleSet& rules, const LintOptions& options);
// Every warning (no limit: memory grows with the warnings).
std::vector<LintWarning> Lint(const RuleSet& rules);

// The warnings as `hatmatch lint` prints them.  When warnings were
// omitted, the text ends with one line "FILE: N more warnings not shown
// (...)" and the JSON document gets "total", "omitted" and "totals" (every
// warning per code); otherwise both are what the vector forms give.
std::string LintText(const RuleSet& rules, const LintResult& result);
std::string LintJson(const RuleSet& rules, const LintResult& result);
std::string LintText(const RuleSet& rules,
                     const std::vector<LintWarning>& warnings);
std::string LintJson(const RuleSet& rules,
                     const std::vector<LintWarning>& warnings);

// --- diff -------------------------------------------------------------------

// A coalesced address range whose decision changes.  IPv4 ranges keep the
// address in lo.lo / hi.lo (hi halves 0).  Rules index into each file's
// RuleSet; kNoRule means no match.
struct DiffRange {
  bool v6 = false;
  Ipv6Addr lo, hi;
  uint32_t old_rule = kNoRule;
  uint32_t new_rule = kNoRule;
};

// Address counts moved between a pair of actions ("-" is no match).
struct DiffCount {
  bool v6 = false;
  std::string old_action, new_action;
  unsigned __int128 addresses = 0;
};

struct DiffContext {
  // The first rule, in each file, brought in by the non-address inputs (or
  // ALL); kNoRule when none.
  uint32_t old_first = kNoRule;
  uint32_t new_first = kNoRule;
  bool address_only = false;      // the context of a connection with only an IP
  Connection witness;             // non-address inputs that realize the context
  std::string description;        // the witness as key=value fields
  std::vector<DiffRange> ranges;  // the first DiffOptions::max_ranges
  size_t range_count = 0;         // every range, kept in `ranges` or not
  std::vector<DiffCount> counts;  // over every range
};

// The first rule matching one value of one non-address dimension, where the
// two files disagree (by identity).  Informational: such a change alters
// decisions only where no earlier rule takes the connection (the contexts
// say exactly where).
struct DimensionChange {
  std::string kind;   // "hostname", "sbrs", "sbo", "dnslist", "dns"
  std::string value;  // "mx.example.com", "*.example.com" (names below
                      // example.com not listed more specifically),
                      // "sbrs[-10:-3]", "SBO:12", "dnslist[zen]", "nx.domain"
  uint32_t old_rule = kNoRule;
  uint32_t new_rule = kNoRule;
};

// Which limit of DiffOptions stopped a diff.
enum class DiffLimit : uint8_t { kNone, kContexts, kWork };

struct DiffResult {
  // OK, or kResourceExhausted when a limit of DiffOptions stopped the diff
  // (`exceeded` says which; the message names the figure reached); then
  // contexts, dimensions and contexts_examined are empty and the result is
  // not equivalent.
  absl::Status status;
  DiffLimit exceeded = DiffLimit::kNone;
  // Every realizable context where some decision changes; the address-only
  // context is first when it has changes.
  std::vector<DiffContext> contexts;
  std::vector<DimensionChange> dimensions;
  size_t contexts_examined = 0;
  uint64_t work = 0;  // units charged (DiffOptions::max_work)
  bool equivalent() const { return status.ok() && contexts.empty(); }
};

// How much of a context Diff keeps.  The address-only context is always
// kept whole; another context keeps its first max_ranges ranges and counts
// the rest (range_count, counts).  Two unrelated large files differ in
// about every range of every context, so a full diff is contexts x ranges:
// the text form, which shows kDiffTextRanges of a context, asks for no
// more than that and stays within O(C + ranges) memory; the JSON form keeps
// every range but one context at a time (DiffWalk).
//
// The limits bound the cost of a crafted pair, decided before the sweeps
// (the expensive part) and enforced while the contexts are folded, so that
// memory stays bounded too.  0 means no limit.
//   max_contexts: the distinct (old, new) first-rule pairs held while
//     folding.  The diff stops when more than max_contexts contexts are
//     realized (counted exactly), or when the combinations of DNS lists,
//     built before they are folded into the contexts, alone exceed it.
//     Memory is O(max_contexts) witnesses.
//   max_work: units of work, charged as they are incurred: one per pair of
//     (state, option) combined while folding and per DNS-list combination
//     tried, then contexts x address pairs (deciding each context), then
//     every address segment the sweeps will visit (known exactly before the
//     first sweep).  The diff stops iff the total exceeds max_work, so what
//     runs after the check is paid for; a unit is about 1-25 ns.
// The defaults leave realistic files alone: a 600k-prefix file with 2,000
// hostname rules against an edit of it is about 2,000 contexts and 1e7
// units, two unrelated 130k-entry generated files 879 contexts and 3.5e8
// units (docs/ANALYSIS.md has the measured figures).
inline constexpr size_t kDiffTextRanges = 20;
inline constexpr size_t kDiffMaxContexts = 100'000;
inline constexpr uint64_t kDiffMaxWork = 1'000'000'000;
struct DiffOptions {
  size_t max_ranges = SIZE_MAX;
  size_t max_contexts = kDiffMaxContexts;
  uint64_t max_work = kDiffMaxWork;
};

DiffResult Diff(const RuleSet& old_rules, const RuleSet& new_rules,
                const DiffOptions& options = {});

// The same diff one context at a time, for output that does not fit in
// memory: Next() yields the contexts Diff lists, in its order, and only the
// context being yielded is held, so memory is O(C + one context's ranges)
// even when every range is kept.  equivalent(), contexts_examined() and
// dimensions() are known before the first context (deciding equivalence
// costs O(C * P) without visiting segments), and so is status(): past a
// limit of DiffOptions the walk is empty, not equivalent, and status() says
// why (as DiffResult::status).  Both rule sets must outlive the walk.
class DiffWalk {
 public:
  DiffWalk(const RuleSet& old_rules, const RuleSet& new_rules,
           const DiffOptions& options = {});
  ~DiffWalk();
  DiffWalk(const DiffWalk&) = delete;
  DiffWalk& operator=(const DiffWalk&) = delete;

  const absl::Status& status() const;
  DiffLimit exceeded() const;
  uint64_t work() const;
  bool equivalent() const;
  size_t contexts_examined() const;
  const std::vector<DimensionChange>& dimensions() const;
  // Fills `context` with the next context that has changes; false when
  // none is left.
  bool Next(DiffContext* context);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

std::string DiffText(const RuleSet& old_rules, const RuleSet& new_rules,
                     const DiffResult& d);
std::string DiffJson(const RuleSet& old_rules, const RuleSet& new_rules,
                     const DiffResult& d);
// DiffJson's document, written piece by piece (each piece at most one
// context) as `walk` yields contexts.  Stops early, returning false, when
// `write` returns false (a failed output); true once the document is whole.
// Writes nothing and returns false when the walk stopped at a limit
// (check walk.status() first to tell the two apart).
bool WriteDiffJson(const RuleSet& old_rules, const RuleSet& new_rules,
                   DiffWalk& walk,
                   const std::function<bool(std::string_view)>& write);

}  // namespace hatmatch

#endif  // HATMATCH_ANALYSIS_H_
