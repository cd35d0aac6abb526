// Copyright 2026 The hatmatch Authors.
//
// The hostname suffix table: build, lookup, validation.  Layout and contract
// in host_table.h.

#include "engine/table/host_table.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hatmatch {
namespace {

constexpr size_t kMaxName = 253;
constexpr size_t kMaxLabel = 63;
// Names are lowercased into a stack buffer with 8 zero bytes after the end,
// so the label hash may load whole words.
constexpr size_t kBufSize = 256 + 8;
// Slots after the last home a scan may need to see: the tag array ends with
// this many empty slots, so every scan (8 slots at a time) stops inside it.
constexpr size_t kTailSlots = 16;
constexpr size_t kBlock = 64;  // slots per rank entry

// Fixed hash constants (odd, high entropy).  Changing any of them changes
// every compiled table; table files carry a format version for that.
constexpr uint64_t kSeed = 0x243f6a8885a308d3;
constexpr uint64_t kWordMul = 0x9e3779b97f4a7c15;
constexpr uint64_t kLastMul = 0xd6e8feb86659fd93;
constexpr uint64_t kFinalXor = 0xa0761d6478bd642f;
constexpr uint64_t kFinalMul = 0xe7037ed1a0b428db;

constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7f;
constexpr uint64_t kHigh1 = 0x8080808080808080;
constexpr uint64_t kOnes = 0x0101010101010101;

inline uint64_t Load64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    v = __builtin_bswap64(v);
  }
  return v;
}

// Low bytes [0, n) of a word, n in 0..8.
inline uint64_t ByteMask(size_t n) {
  return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
}

// 0x80 in every byte of w that is nonzero / zero (exact, no false positives).
inline uint64_t NonZeroBytes(uint64_t w) {
  return (((w & kLow7) + kLow7) | w) & kHigh1;
}
inline uint64_t ZeroBytes(uint64_t w) { return ~NonZeroBytes(w) & kHigh1; }

// Folded 64x64->128 multiply: the mixing step of the hash.
inline uint64_t Mum(uint64_t a, uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// Hash of `label.rest` from the hash of `rest`.  The label (1..63 bytes,
// already lowercase) is read in 8-byte words; `p` must have 8 readable bytes
// past the label.  Label chars are never 0, so the zero-padded last word
// encodes the label length.
inline uint64_t MixLabel(uint64_t h, const char* p, size_t len) {
  while (len > 8) {
    h = Mum(h ^ Load64(p), kWordMul);
    p += 8;
    len -= 8;
  }
  return Mum(h ^ (Load64(p) & ByteMask(len)), kLastMul);
}

inline uint64_t Finalize(uint64_t h) { return Mum(h ^ kFinalXor, kFinalMul); }

inline uint8_t TagOf(uint64_t hash) {
  uint8_t t = static_cast<uint8_t>(hash);
  return t == 0 ? 1 : t;
}

// Byte -> lowercase byte for [A-Za-z0-9-_], '.' for '.', 0 for the rest.
constexpr std::array<uint8_t, 256> kCharMap = [] {
  std::array<uint8_t, 256> m{};
  for (int c = 'a'; c <= 'z'; ++c) m[c] = static_cast<uint8_t>(c);
  for (int c = 'A'; c <= 'Z'; ++c) m[c] = static_cast<uint8_t>(c - 'A' + 'a');
  for (int c = '0'; c <= '9'; ++c) m[c] = static_cast<uint8_t>(c);
  m['-'] = '-';
  m['_'] = '_';
  m['.'] = '.';
  return m;
}();

// A looked-up name, lowercased into a caller buffer, with its label starts.
struct ParsedName {
  uint32_t len;     // without the trailing dot
  uint32_t labels;  // >= 1
  // start[i]: offset of label i.  Sized for the worst case ("...") of a
  // 253-byte name, which is rejected only after the scan.
  uint8_t start[256];

  size_t LabelEnd(uint32_t i) const {
    return i + 1 < labels ? size_t{start[i + 1]} - 1 : len;
  }
};

// Validates and lowercases `in` into buf (kBufSize bytes).  False when the
// name is not a valid hostname.
inline bool ParseName(std::string_view in, char* buf, ParsedName* p) {
  size_t n = in.size();
  if (n != 0 && in[n - 1] == '.') --n;
  if (n - 1 >= kMaxName) return false;  // also n == 0
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  uint32_t labels = 1;
  uint32_t bad = 0;
  p->start[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = kCharMap[s[i]];
    buf[i] = static_cast<char>(c);
    bad |= (c == 0);
    p->start[labels] = static_cast<uint8_t>(i + 1);
    labels += (c == '.');
  }
  if (bad) return false;
  std::memset(buf + n, 0, 8);
  p->len = static_cast<uint32_t>(n);
  p->labels = labels;
  for (uint32_t i = 0; i < labels; ++i) {
    size_t len = p->LabelEnd(i) - p->start[i];
    if (len - 1 >= kMaxLabel) return false;  // also len == 0
  }
  return true;
}

// For a name already in normalized form: its finalized hash and label count.
// False when the name is not normalized (uppercase, dots at the ends, ...).
bool HashNormalized(std::string_view name, uint64_t* hash, uint32_t* labels) {
  if (name.empty() || name.back() == '.') return false;
  char buf[kBufSize];
  ParsedName p;
  if (!ParseName(name, buf, &p)) return false;
  if (std::memcmp(buf, name.data(), name.size()) != 0) return false;
  uint64_t h = kSeed;
  for (uint32_t i = p.labels; i-- > 0;) {
    h = MixLabel(h, buf + p.start[i], p.LabelEnd(i) - p.start[i]);
  }
  *hash = Finalize(h);
  *labels = p.labels;
  return true;
}

struct BuildItem {
  uint64_t hash;
  std::string_view name;
  uint32_t priority;
  uint32_t labels;
};

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "BuildHostTable: %s\n", what);
  std::abort();
}

HostSetData BuildSet(std::vector<BuildItem>& in) {
  // Sorting by hash sorts by home slot (the home is monotone in the hash);
  // name and priority make the order total, so the layout depends only on
  // the entry set, and the first of equal names has the lowest priority.
  std::sort(in.begin(), in.end(), [](const BuildItem& a, const BuildItem& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    if (a.name != b.name) return a.name < b.name;
    return a.priority < b.priority;
  });
  in.erase(std::unique(in.begin(), in.end(),
                       [](const BuildItem& a, const BuildItem& b) {
                         return a.name == b.name;
                       }),
           in.end());
  const size_t n = in.size();
  if (n >= (size_t{1} << 31)) Die("too many names");

  HostSetData out;
  HostSetHeader& hdr = out.header;
  hdr.item_count = static_cast<uint32_t>(n);
  hdr.home_slots = static_cast<uint32_t>((uint64_t{n} * 10 + 6) / 7);

  // Linear probing in home order: each item takes the first free slot at or
  // after its home, which (homes ascending) is max(home, previous + 1).
  std::vector<uint32_t> slot(n);
  size_t next = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t home =
        static_cast<size_t>(((in[i].hash >> 32) * hdr.home_slots) >> 32);
    slot[i] = static_cast<uint32_t>(std::max(home, next));
    next = slot[i] + 1;
  }
  size_t t = std::max<size_t>(hdr.home_slots, next) + kTailSlots;
  t = (t + kBlock - 1) / kBlock * kBlock;
  if (t > UINT32_MAX) Die("too many slots");
  out.tags.assign(t, 0);
  out.ranks.assign(t / kBlock, 0);
  for (size_t i = 0; i < n; ++i) out.tags[slot[i]] = TagOf(in[i].hash);
  uint32_t seen = 0;
  for (size_t b = 0; b < out.ranks.size(); ++b) {
    out.ranks[b] = seen;
    for (size_t s = b * kBlock; s < (b + 1) * kBlock; ++s) {
      seen += out.tags[s] != 0;
    }
  }

  uint64_t pool_bytes = 0;
  for (const BuildItem& it : in) pool_bytes += it.name.size();
  if (pool_bytes > UINT32_MAX) Die("name bytes over 4 GiB");
  out.pool.reserve(pool_bytes);
  out.items.resize((n + 7) / 8);
  for (size_t b = 0; b < out.items.size(); ++b) {
    HostItemBlock& blk = out.items[b];
    blk.pool_base = static_cast<uint32_t>(out.pool.size());
    for (size_t j = 0; j < 8; ++j) {
      size_t i = b * 8 + j;
      if (i < n) {
        blk.len[j] = static_cast<uint8_t>(in[i].name.size());
        blk.priority[j] = in[i].priority;
        out.pool.insert(out.pool.end(), in[i].name.begin(), in[i].name.end());
      } else {
        blk.len[j] = 0;
        blk.priority[j] = kNoValue;
      }
    }
  }
  for (const BuildItem& it : in) {
    hdr.label_mask[it.labels >> 6] |= uint64_t{1} << (it.labels & 63);
  }
  return out;
}

// The empty set, for default-constructed views: a scan from slot 0 stops at
// once.
constexpr uint8_t kEmptyTags[kBlock] = {};
constexpr uint32_t kEmptyRanks[1] = {0};

}  // namespace

size_t HostSetData::bytes() const {
  return tags.size() + ranks.size() * sizeof(uint32_t) +
         items.size() * sizeof(HostItemBlock) + pool.size();
}

HostTableData BuildHostTable(std::span<const HostEntryInput> entries) {
  std::vector<BuildItem> exact, partial;
  for (const HostEntryInput& e : entries) {
    BuildItem it{0, e.name, e.priority, 0};
    if (e.priority == kNoValue) continue;
    if (!HashNormalized(e.name, &it.hash, &it.labels)) continue;
    (e.partial ? partial : exact).push_back(it);
  }
  HostTableData data;
  data.exact = BuildSet(exact);
  data.partial = BuildSet(partial);
  return data;
}

// --- HostSetView -------------------------------------------------------------

HostSetView::HostSetView()
    : HostSetView(HostSetHeader{}, kEmptyTags, kEmptyRanks, {}, {}) {}

HostSetView::HostSetView(const HostSetHeader& header,
                         std::span<const uint8_t> tags,
                         std::span<const uint32_t> ranks,
                         std::span<const HostItemBlock> items,
                         std::span<const char> pool)
    : header_(header),
      tags_(tags.data()),
      tag_count_(tags.size()),
      ranks_(ranks.data()),
      rank_count_(ranks.size()),
      items_(items.data()),
      item_block_count_(items.size()),
      pool_(pool.data()),
      pool_size_(pool.size()) {}

HostSetView::HostSetView(const HostSetData& d)
    : HostSetView(d.header, d.tags, d.ranks, d.items, d.pool) {}

size_t HostSetView::bytes() const {
  return tag_count_ + rank_count_ * sizeof(uint32_t) +
         item_block_count_ * sizeof(HostItemBlock) + pool_size_;
}

void HostSetView::Prefetch(uint64_t hash) const {
  __builtin_prefetch(tags_ + Home(hash));
}

uint32_t HostSetView::Confirm(size_t slot, const char* name, size_t len) const {
  // Item index = occupied slots before `slot`.
  const uint8_t* t = tags_ + (slot & ~(kBlock - 1));
  size_t k = slot & (kBlock - 1);
  size_t r = ranks_[slot / kBlock];
  for (; k >= 8; k -= 8, t += 8) r += std::popcount(NonZeroBytes(Load64(t)));
  r += std::popcount(NonZeroBytes(Load64(t)) & ByteMask(k));

  const HostItemBlock& b = items_[r / 8];
  const size_t j = r % 8;
  if (b.len[j] != len) return kNoValue;
  // Offset = pool_base + len[0] + ... + len[j-1]: add bytes pairwise into
  // 16-bit lanes (7 * 253 fits), then sum the lanes with one multiply.
  uint64_t lens = Load64(b.len) & ByteMask(j);
  lens = (lens & 0x00ff00ff00ff00ff) + ((lens >> 8) & 0x00ff00ff00ff00ff);
  size_t off = b.pool_base + ((lens * 0x0001000100010001) >> 48);
  if (std::memcmp(pool_ + off, name, len) != 0) return kNoValue;
  return b.priority[j];
}

uint32_t HostSetView::Probe(uint64_t hash, const char* name, size_t len) const {
  const uint64_t tagv = TagOf(hash) * kOnes;
  for (size_t s = Home(hash);; s += 8) {
    const uint64_t w = Load64(tags_ + s);
    const uint64_t empty = ZeroBytes(w);
    uint64_t match = ZeroBytes(w ^ tagv);
    // Only slots before the first empty one belong to the probe sequence.
    if (empty != 0) match &= (empty & (~empty + 1)) - 1;
    while (match != 0) {
      uint32_t r = Confirm(s + (std::countr_zero(match) >> 3), name, len);
      if (r != kNoValue) return r;
      match &= match - 1;
    }
    if (empty != 0) return kNoValue;
  }
}

absl::Status HostSetView::Validate() const {
  const auto bad = [](auto&&... what) {
    return absl::DataLossError(absl::StrCat("host set: ", what...));
  };
  const HostSetHeader& h = header_;
  if (tag_count_ < kBlock || tag_count_ % kBlock != 0) {
    return bad("tag count ", tag_count_, " is not a positive multiple of 64");
  }
  if (uint64_t{h.home_slots} + kTailSlots > tag_count_) {
    return bad("home slots ", h.home_slots, " leave no empty tail in ",
               tag_count_, " tags");
  }
  for (size_t s = tag_count_ - kTailSlots; s < tag_count_; ++s) {
    if (tags_[s] != 0) return bad("tag tail slot ", s, " is not empty");
  }
  if (rank_count_ != tag_count_ / kBlock) {
    return bad("rank count ", rank_count_, ", expected ", tag_count_ / kBlock);
  }
  uint64_t occupied = 0;
  for (size_t b = 0; b < rank_count_; ++b) {
    if (ranks_[b] != occupied) {
      return bad("rank ", b, " is ", ranks_[b], ", expected ", occupied);
    }
    for (size_t s = b * kBlock; s < (b + 1) * kBlock; ++s) {
      occupied += tags_[s] != 0;
    }
  }
  if (occupied != h.item_count) {
    return bad(occupied, " occupied slots for ", h.item_count, " items");
  }
  if (item_block_count_ != (uint64_t{h.item_count} + 7) / 8) {
    return bad(item_block_count_, " item blocks for ", h.item_count, " items");
  }
  uint64_t pool_end = 0;
  for (size_t b = 0; b < item_block_count_; ++b) {
    const HostItemBlock& blk = items_[b];
    if (blk.pool_base != pool_end) {
      return bad("item block ", b, " starts at ", blk.pool_base, ", expected ",
                 pool_end);
    }
    for (size_t j = 0; j < 8; ++j) {
      if (b * 8 + j < h.item_count) {
        if (blk.len[j] == 0 || blk.len[j] > kMaxName) {
          return bad("item ", b * 8 + j, " has length ", blk.len[j]);
        }
        pool_end += blk.len[j];
      } else if (blk.len[j] != 0 || blk.priority[j] != kNoValue) {
        return bad("unused item ", b * 8 + j, " is not blank");
      }
    }
  }
  if (pool_end != pool_size_) {
    return bad("items cover ", pool_end, " pool bytes of ", pool_size_);
  }
  // Structure is sound; now every item must be a normalized name that a
  // lookup of that name reaches: fingerprint, home and label count agree.
  size_t item = 0, off = 0;
  for (size_t s = 0; s < tag_count_; ++s) {
    if (tags_[s] == 0) continue;
    const HostItemBlock& blk = items_[item / 8];
    const size_t len = blk.len[item % 8];
    std::string_view name(pool_ + off, len);
    uint64_t hash;
    uint32_t labels;
    if (!HashNormalized(name, &hash, &labels)) {
      return bad("item ", item, " is not a normalized hostname");
    }
    if (TagOf(hash) != tags_[s]) {
      return bad("item ", item, " has the wrong fingerprint");
    }
    const size_t home = Home(hash);
    if (home > s) return bad("item ", item, " sits before its home slot");
    for (size_t x = home; x < s; ++x) {
      if (tags_[x] == 0) return bad("item ", item, " is cut off its home");
    }
    if (!MayHaveLabels(labels)) {
      return bad("item ", item, " has a label count not in the mask");
    }
    ++item;
    off += len;
  }
  return absl::OkStatus();
}

// --- HostTable ---------------------------------------------------------------

absl::Status HostTable::Validate() const {
  if (absl::Status s = exact_.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("exact ", s.message()));
  }
  if (absl::Status s = partial_.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("partial ", s.message()));
  }
  return absl::OkStatus();
}

uint32_t HostTable::Lookup(std::string_view name) const {
  char buf[kBufSize];
  ParsedName p;
  if (!ParseName(name, buf, &p)) return kNoValue;
  uint32_t best = kNoValue;
  uint64_t h = kSeed;
  // From the rightmost label: suffix i is labels [i, labels).
  for (uint32_t i = p.labels; i-- > 0;) {
    const size_t start = p.start[i];
    h = MixLabel(h, buf + start, p.LabelEnd(i) - start);
    const uint32_t labels = p.labels - i;
    const HostSetView& set = i == 0 ? exact_ : partial_;
    if (!set.MayHaveLabels(labels)) continue;
    best = std::min(best, set.Probe(Finalize(h), buf + start, p.len - start));
  }
  return best;
}

void HostTable::LookupBatch(const std::string_view* names, uint32_t* out,
                            size_t n) const {
  constexpr size_t kGroup = 16;
  constexpr size_t kMaxProbes = 8;
  struct PendingProbe {
    uint64_t hash;
    uint8_t start;
    bool exact;
  };
  char bufs[kGroup][kBufSize];
  PendingProbe probes[kGroup][kMaxProbes];
  uint32_t len[kGroup];
  uint32_t count[kGroup];  // kMaxProbes + 1: too many, use Lookup()
  ParsedName p;
  for (size_t base = 0; base < n; base += kGroup) {
    const size_t m = std::min(kGroup, n - base);
    // Stage 1: parse and hash every name, prefetch every probe's first tags.
    for (size_t g = 0; g < m; ++g) {
      count[g] = 0;
      if (!ParseName(names[base + g], bufs[g], &p)) continue;
      len[g] = p.len;
      uint64_t h = kSeed;
      for (uint32_t i = p.labels; i-- > 0;) {
        const size_t start = p.start[i];
        h = MixLabel(h, bufs[g] + start, p.LabelEnd(i) - start);
        const HostSetView& set = i == 0 ? exact_ : partial_;
        if (!set.MayHaveLabels(p.labels - i)) continue;
        if (count[g] == kMaxProbes) {
          count[g] = kMaxProbes + 1;
          break;
        }
        const uint64_t f = Finalize(h);
        set.Prefetch(f);
        probes[g][count[g]++] = {f, static_cast<uint8_t>(start), i == 0};
      }
    }
    // Stage 2: scan and confirm.
    for (size_t g = 0; g < m; ++g) {
      if (count[g] > kMaxProbes) {
        out[base + g] = Lookup(names[base + g]);
        continue;
      }
      uint32_t best = kNoValue;
      for (uint32_t k = 0; k < count[g]; ++k) {
        const PendingProbe& q = probes[g][k];
        const HostSetView& set = q.exact ? exact_ : partial_;
        best = std::min(best,
                        set.Probe(q.hash, bufs[g] + q.start, len[g] - q.start));
      }
      out[base + g] = best;
    }
  }
}

}  // namespace hatmatch
