// Copyright 2026 The hatmatch Authors.
//
// host_peers.cc: see host_peers.h.

#include "bench/peers/host_peers.h"

#include <malloc.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#ifdef HATMATCH_HAVE_HS
#include <hs/hs.h>
#endif
#ifdef HATMATCH_HAVE_RE2
#include <re2/re2.h>
#include <re2/set.h>
#endif

namespace hatmatch::bench {

size_t LinearHostPeer::bytes() const {
  size_t b = hosts_.capacity() * sizeof(HostRule);
  for (const HostRule& h : hosts_) {
    if (h.name.capacity() > 15) b += h.name.capacity() + 1;
  }
  return b;
}

namespace {

// Heap bytes in use, for structures that offer no size of their own.
size_t HeapInUse() { return mallinfo2().uordblks; }

// Unique patterns with their lowest rule, in first-appearance order.
struct Pattern {
  std::string text;  // "mx.example.com" or ".example.com"
  bool partial;
  uint32_t rule;
};
[[maybe_unused]] std::vector<Pattern> UniquePatterns(
    const std::vector<HostRule>& hosts) {
  absl::flat_hash_map<std::string, size_t> index;
  std::vector<Pattern> out;
  for (const HostRule& h : hosts) {
    std::string text = (h.partial ? "." : "") + h.name;
    auto [it, fresh] = index.try_emplace(text, out.size());
    if (fresh) {
      out.push_back({std::move(text), h.partial, h.rule});
    } else {
      out[it->second].rule = std::min(out[it->second].rule, h.rule);
    }
  }
  return out;
}

class FlatHashHostPeer final
    : public ScalarPeer<std::string_view, FlatHashHostPeer> {
 public:
  explicit FlatHashHostPeer(const std::vector<HostRule>& hosts) {
    const size_t before = HeapInUse();
    for (const HostRule& h : hosts) {
      auto& m = h.partial ? partial_ : exact_;
      auto [it, fresh] = m.try_emplace(h.name, h.rule);
      if (!fresh) it->second = std::min(it->second, h.rule);
    }
    bytes_ = HeapInUse() - before;
  }
  // Windows of kWindow names: first every probe of every name in the
  // window is prefetched (absl's prefetch hashes the key and touches its
  // group), then the names are looked up while those lines arrive.
  void Batch(std::span<const std::string_view> keys,
             std::span<uint32_t> out) const override {
    constexpr size_t kWindow = 16;
    for (size_t base = 0; base < keys.size(); base += kWindow) {
      const size_t end = std::min(keys.size(), base + kWindow);
      for (size_t i = base; i < end; ++i) Prefetch(keys[i]);
      for (size_t i = base; i < end; ++i) out[i] = Find(keys[i]);
    }
  }
  uint32_t Find(std::string_view name) const {
    uint32_t best = kNoValue;
    const absl::string_view n(name.data(), name.size());
    if (auto it = exact_.find(n); it != exact_.end()) best = it->second;
    for (size_t dot = n.find('.'); dot != absl::string_view::npos;
         dot = n.find('.', dot + 1)) {
      if (auto it = partial_.find(n.substr(dot + 1)); it != partial_.end()) {
        best = std::min(best, it->second);
      }
    }
    return best;
  }
  size_t bytes() const override { return bytes_; }

 private:
  void Prefetch(std::string_view name) const {
    const absl::string_view n(name.data(), name.size());
    exact_.prefetch(n);
    for (size_t dot = n.find('.'); dot != absl::string_view::npos;
         dot = n.find('.', dot + 1)) {
      partial_.prefetch(n.substr(dot + 1));
    }
  }

  absl::flat_hash_map<std::string, uint32_t> exact_, partial_;
  size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<HostPeer> MakeFlatHashHostPeer(
    const std::vector<HostRule>& hosts) {
  return std::make_unique<FlatHashHostPeer>(hosts);
}

// ---- Hyperscan -------------------------------------------------------------

#ifdef HATMATCH_HAVE_HS
namespace {

struct Literal {
  uint32_t rule;
  uint32_t len;
  bool partial;
};

struct MatchContext {
  const Literal* literals;
  unsigned long long len;
  uint32_t best;
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
            unsigned int /*flags*/, void* ctx) {
  auto* c = static_cast<MatchContext*>(ctx);
  const Literal& l = c->literals[id];
  if (to == c->len && (l.partial || l.len == c->len)) {
    c->best = std::min(c->best, l.rule);
  }
  return 0;
}

class HyperscanHostPeer final
    : public ScalarPeer<std::string_view, HyperscanHostPeer> {
 public:
  static absl::StatusOr<std::unique_ptr<HostPeer>> Make(
      const std::vector<HostRule>& hosts) {
    std::vector<Pattern> patterns = UniquePatterns(hosts);
    if (patterns.empty()) {
      return absl::FailedPreconditionError("no hostname patterns");
    }
    auto peer = std::unique_ptr<HyperscanHostPeer>(new HyperscanHostPeer);
    std::vector<const char*> exprs;
    std::vector<size_t> lens;
    std::vector<unsigned> flags, ids;
    for (size_t i = 0; i < patterns.size(); ++i) {
      const Pattern& p = patterns[i];
      exprs.push_back(p.text.c_str());
      lens.push_back(p.text.size());
      flags.push_back(HS_FLAG_CASELESS);
      ids.push_back(static_cast<unsigned>(i));
      peer->literals_.push_back(
          {p.rule, static_cast<uint32_t>(p.text.size()), p.partial});
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(),
                             lens.data(), static_cast<unsigned>(exprs.size()),
                             HS_MODE_BLOCK, nullptr, &peer->db_,
                             &err) != HS_SUCCESS) {
      absl::Status s = absl::InternalError(
          absl::StrCat("hs_compile_lit_multi: ", err ? err->message : "?"));
      hs_free_compile_error(err);
      return s;
    }
    if (hs_alloc_scratch(peer->db_, &peer->scratch_) != HS_SUCCESS) {
      return absl::InternalError("hs_alloc_scratch failed");
    }
    size_t db = 0, scratch = 0;
    hs_database_size(peer->db_, &db);
    hs_scratch_size(peer->scratch_, &scratch);
    peer->bytes_ = db + scratch + peer->literals_.size() * sizeof(Literal);
    return peer;
  }
  ~HyperscanHostPeer() override {
    hs_free_scratch(scratch_);
    hs_free_database(db_);
  }

  uint32_t Find(std::string_view name) const {
    MatchContext ctx{literals_.data(), name.size(), kNoValue};
    hs_scan(db_, name.data(), static_cast<unsigned>(name.size()), 0, scratch_,
            OnMatch, &ctx);
    return ctx.best;
  }
  size_t bytes() const override { return bytes_; }

 private:
  HyperscanHostPeer() = default;
  hs_database_t* db_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;  // single-threaded benchmark
  std::vector<Literal> literals_;
  size_t bytes_ = 0;
};

}  // namespace

bool HyperscanCompiledIn() { return true; }
absl::StatusOr<std::unique_ptr<HostPeer>> MakeHyperscanHostPeer(
    const std::vector<HostRule>& hosts) {
  return HyperscanHostPeer::Make(hosts);
}
#else
bool HyperscanCompiledIn() { return false; }
absl::StatusOr<std::unique_ptr<HostPeer>> MakeHyperscanHostPeer(
    const std::vector<HostRule>&) {
  return absl::UnimplementedError(
      "built without Hyperscan (pkg-config libhs not found)");
}
#endif

// ---- RE2::Set --------------------------------------------------------------

#ifdef HATMATCH_HAVE_RE2
namespace {

class Re2SetHostPeer final
    : public ScalarPeer<std::string_view, Re2SetHostPeer> {
 public:
  static absl::StatusOr<std::unique_ptr<HostPeer>> Make(
      const std::vector<HostRule>& hosts) {
    const std::vector<Pattern> patterns = UniquePatterns(hosts);
    if (patterns.empty()) {
      return absl::FailedPreconditionError("no hostname patterns");
    }
    const size_t before = HeapInUse();
    RE2::Options opt;
    opt.set_case_sensitive(false);
    opt.set_log_errors(false);
    // The default 8 MiB budget fails around a few thousand patterns.
    opt.set_max_mem(int64_t{2} << 30);
    auto peer = std::unique_ptr<Re2SetHostPeer>(new Re2SetHostPeer(opt));
    for (const Pattern& p : patterns) {
      const std::string re =
          p.partial ? absl::StrCat(RE2::QuoteMeta(p.text), "$")
                    : absl::StrCat("^", RE2::QuoteMeta(p.text), "$");
      std::string error;
      if (peer->set_.Add(re, &error) < 0) {
        return absl::InternalError(absl::StrCat("RE2::Set::Add: ", error));
      }
      peer->rules_.push_back(p.rule);
    }
    if (!peer->set_.Compile()) {
      return absl::ResourceExhaustedError("RE2::Set::Compile failed (memory)");
    }
    peer->bytes_ = HeapInUse() - before;
    return peer;
  }

  uint32_t Find(std::string_view name) const {
    matches_.clear();
    uint32_t best = kNoValue;
    if (set_.Match(re2::StringPiece(name.data(), name.size()), &matches_)) {
      for (int i : matches_) best = std::min(best, rules_[i]);
    }
    return best;
  }
  size_t bytes() const override { return bytes_; }

 private:
  explicit Re2SetHostPeer(const RE2::Options& opt)
      : set_(opt, RE2::UNANCHORED) {}
  RE2::Set set_;
  std::vector<uint32_t> rules_;
  mutable std::vector<int> matches_;  // single-threaded benchmark
  size_t bytes_ = 0;
};

}  // namespace

bool Re2CompiledIn() { return true; }
absl::StatusOr<std::unique_ptr<HostPeer>> MakeRe2SetHostPeer(
    const std::vector<HostRule>& hosts) {
  return Re2SetHostPeer::Make(hosts);
}
#else
bool Re2CompiledIn() { return false; }
absl::StatusOr<std::unique_ptr<HostPeer>> MakeRe2SetHostPeer(
    const std::vector<HostRule>&) {
  return absl::UnimplementedError(
      "built without RE2 (pkg-config re2 not found)");
}
#endif

}  // namespace hatmatch::bench
