// Copyright 2026 The hatmatch Authors.
//
// The table file container (engine/format/table_file.h) and CRC-32C, on
// small hand-built catalogs: layout, determinism, every check on load, the
// atomic writer.

#include "engine/format/table_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/format/crc32c.h"
#include "fmt/core.h"
#include "gtest/gtest.h"
#include "tests/testing/run.h"

namespace hatmatch {
namespace {

std::string Message(const absl::Status& s) {
  return std::string(s.message().data(), s.message().size());
}

TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(Crc32c(std::string_view("")), 0u);
  EXPECT_EQ(Crc32c(std::string_view("123456789")), 0xE3069283u);
  // RFC 3720 B.4: 32 bytes of zeros, 32 bytes of 0xFF.
  std::string zeros(32, '\0'), ones(32, '\xff');
  EXPECT_EQ(Crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(ones), 0x62A8AB43u);
  std::string inc(32, '\0');
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<char>(i);
  EXPECT_EQ(Crc32c(inc), 0x46DD794Eu);
}

TEST(Crc32cTest, CombineEqualsTheCrcOfTheConcatenation) {
  std::string buf(100000, '\0');
  for (size_t i = 0; i < buf.size(); ++i) {
    buf[i] = static_cast<char>((i * 7919) >> 3);
  }
  const std::string_view all(buf);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{63}, size_t{4096},
                     size_t{50001}, all.size()}) {
    const std::string_view a = all.substr(0, cut), b = all.substr(cut);
    EXPECT_EQ(Crc32cCombine(Crc32c(a), Crc32c(b), b.size()), Crc32c(all))
        << cut;
  }
}

TEST(Crc32cTest, LongBuffersAgreeAcrossImplementationsAndSplits) {
  const uint64_t seed = 77;
  std::mt19937_64 rng(seed);
  std::string buf(200000, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  for (size_t len : {12287, 12288, 12289, 24576 + 5, 100003, 200000}) {
    const uint32_t portable = crc32c_internal::Portable(0, buf.data(), len);
    EXPECT_EQ(Crc32c(buf.data(), len), portable) << len;
    if (crc32c_internal::HaveHardware()) {
      EXPECT_EQ(crc32c_internal::Hardware(0, buf.data() + 0, len), portable)
          << len;
      EXPECT_EQ(crc32c_internal::Hardware(0, buf.data() + 3, len - 3),
                crc32c_internal::Portable(0, buf.data() + 3, len - 3))
          << len;
    }
    const size_t cut = len / 2 + 1;
    EXPECT_EQ(
        Crc32cExtend(Crc32c(buf.data(), cut), buf.data() + cut, len - cut),
        portable)
        << len;
  }
  // A known value over a long buffer: 1 MiB of zeros.
  std::string zeros(1 << 20, '\0');
  EXPECT_EQ(Crc32c(zeros),
            crc32c_internal::Portable(0, zeros.data(), zeros.size()));
}

TEST(Crc32cTest, PortableAndHardwareAgreeAtEveryAlignmentAndLength) {
  const uint64_t seed = 20261127;
  std::mt19937_64 rng(seed);
  std::string buf(4096 + 16, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  for (size_t start = 0; start < 16; ++start) {
    for (size_t len : {0, 1, 7, 8, 9, 63, 64, 65, 1000, 4096}) {
      const char* p = buf.data() + start;
      const uint32_t portable = crc32c_internal::Portable(0, p, len);
      // Splitting anywhere gives the same CRC (Extend is a true extension).
      const size_t cut = len / 3;
      const uint32_t split =
          Crc32cExtend(Crc32cExtend(0, p, cut), p + cut, len - cut);
      EXPECT_EQ(split, portable)
          << "seed " << seed << " start " << start << " len " << len;
      if (crc32c_internal::HaveHardware()) {
        EXPECT_EQ(crc32c_internal::Hardware(0, p, len), portable)
            << "seed " << seed << " start " << start << " len " << len;
      }
    }
  }
}

constexpr SectionSpec kCatalog[] = {
    {1, "numbers", 4, true},
    {2, "names", 1, false},
    {7, "pairs", 16, true},
};

struct Pair {
  uint64_t a, b;
};

std::string BuildImage() {
  static const std::vector<uint32_t> numbers = {1, 2, 3, 4, 5};
  static const std::vector<char> names = {'a', 'b', 'c'};
  static const std::vector<Pair> pairs = {{1, 2}, {3, 4}};
  TableFileWriter w(kCatalog);
  w.Add(7, pairs);  // out of order on purpose: Finish() sorts by id
  w.Add(1, numbers);
  w.Add(2, names);
  return w.Finish();
}

absl::StatusOr<TableFileView> ParseCopy(
    const std::string& bytes, std::shared_ptr<const TableImage>* keep) {
  *keep = TableImage::Copy(bytes);
  return TableFileView::Parse((*keep)->bytes(), "t.hmt", kCatalog);
}

TEST(TableFileTest, LayoutIsAlignedSortedAndRoundTrips) {
  const std::string image = BuildImage();
  EXPECT_EQ(image.size() % 64, 0u);
  EXPECT_EQ(image, BuildImage()) << "not deterministic";
  std::shared_ptr<const TableImage> keep;
  absl::StatusOr<TableFileView> v = ParseCopy(image, &keep);
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->directory().size(), 3u);
  EXPECT_EQ(v->directory()[0].id, 1u);
  EXPECT_EQ(v->directory()[1].id, 2u);
  EXPECT_EQ(v->directory()[2].id, 7u);
  for (const SectionEntry& e : v->directory()) EXPECT_EQ(e.offset % 64, 0u);
  std::span<const uint32_t> numbers = v->Get<uint32_t>(1);
  ASSERT_EQ(numbers.size(), 5u);
  EXPECT_EQ(numbers[4], 5u);
  // Zero copy: the span points into the image.
  EXPECT_GE(reinterpret_cast<const std::byte*>(numbers.data()),
            keep->bytes().data());
  EXPECT_LT(reinterpret_cast<const std::byte*>(numbers.data()),
            keep->bytes().data() + keep->bytes().size());
  std::span<const Pair> pairs = v->Get<Pair>(7);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[1].b, 4u);
  EXPECT_EQ(std::string(v->Get<char>(2).begin(), v->Get<char>(2).end()), "abc");
}

TEST(TableFileTest, OptionalSectionMayBeAbsentRequiredMayNot) {
  static const std::vector<uint32_t> numbers = {1};
  static const std::vector<Pair> pairs;
  TableFileWriter w(kCatalog);
  w.Add(1, numbers);
  w.Add(7, pairs);
  std::shared_ptr<const TableImage> keep;
  absl::StatusOr<TableFileView> v = ParseCopy(w.Finish(), &keep);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->Has(2));
  EXPECT_TRUE(v->Get<char>(2).empty());
  EXPECT_TRUE(v->Has(7));
  EXPECT_TRUE(v->Get<Pair>(7).empty());

  TableFileWriter w2(kCatalog);
  w2.Add(1, numbers);
  absl::StatusOr<TableFileView> v2 = ParseCopy(w2.Finish(), &keep);
  ASSERT_FALSE(v2.ok());
  EXPECT_EQ(v2.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(Message(v2.status()).find("required section \"pairs\""),
            std::string::npos)
      << v2.status();
}

// Rewrites the header checksum (and optionally directory/payload checksums)
// after a deliberate edit, so the structural check behind them is reached.
void Reseal(std::string* image, bool directory, bool payload) {
  TableFileHeader h;
  std::memcpy(&h, image->data(), sizeof h);
  if (directory) {
    h.directory_crc =
        Crc32c(image->data() + 64, h.section_count * sizeof(SectionEntry));
  }
  if (payload) h.payload_crc = Crc32c(image->data() + 64, image->size() - 64);
  h.header_crc = Crc32c(&h, offsetof(TableFileHeader, header_crc));
  std::memcpy(image->data(), &h, sizeof h);
}

SectionEntry* Dir(std::string* image, size_t i) {
  return reinterpret_cast<SectionEntry*>(image->data() + 64) + i;
}

void ExpectError(const std::string& image, absl::StatusCode code,
                 const std::string& needle) {
  std::shared_ptr<const TableImage> keep;
  absl::StatusOr<TableFileView> v = ParseCopy(image, &keep);
  ASSERT_FALSE(v.ok()) << "expected: " << needle;
  EXPECT_EQ(v.status().code(), code) << v.status();
  EXPECT_NE(Message(v.status()).find(needle), std::string::npos)
      << "got: " << v.status() << "\nexpected: " << needle;
  EXPECT_EQ(Message(v.status()).rfind("t.hmt: ", 0), 0u) << v.status();
}

TEST(TableFileTest, EveryCheckOnLoadHasItsMessage) {
  const std::string good = BuildImage();
  using C = absl::StatusCode;

  ExpectError("", C::kFailedPrecondition, "not a hatmatch table (bad magic)");
  ExpectError("ALL\n    ACCEPT\n", C::kFailedPrecondition, "bad magic");
  ExpectError(good.substr(0, 5), C::kDataLoss, "truncated");
  ExpectError(good.substr(0, 40), C::kDataLoss, "truncated: 40 bytes");
  ExpectError(good.substr(0, good.size() - 64), C::kDataLoss,
              "truncated: header says");

  std::string s = good;
  s[8] = kTableFormatVersion + 1;  // a future version
  ExpectError(s, C::kFailedPrecondition,
              fmt::format("format version {}, this build reads {}",
                          kTableFormatVersion + 1, kTableFormatVersion));

  s = good;
  const uint32_t swapped = __builtin_bswap32(kByteOrderMark);
  std::memcpy(s.data() + 12, &swapped, 4);
  ExpectError(s, C::kFailedPrecondition, "-endian machine");

  s = good;
  s[13] ^= 1;
  ExpectError(s, C::kDataLoss, "bad byte-order mark");

  s = good;
  s[33] ^= 1;  // file_size
  ExpectError(s, C::kDataLoss, "header checksum mismatch");

  s = good + std::string(64, '\0');
  ExpectError(s, C::kDataLoss, "64 trailing bytes");

  s = good;
  Dir(&s, 0)->width = 8;
  ExpectError(s, C::kDataLoss, "checksum mismatch in the section directory");
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss,
              "section 0 (numbers): element width 8, this build expects 4");

  s = good;
  Dir(&s, 2)->size = 1 << 20;
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss, "section 2 (pairs) extends past end of file");

  s = good;
  Dir(&s, 1)->id = 3;
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss, "section 1 (id 3): unknown section id");

  s = good;
  Dir(&s, 1)->offset += 1;
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss, "section 1 (names): offset");

  s = good;
  Dir(&s, 1)->offset += 64;
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss, "sections must follow each other");

  s = good;
  Dir(&s, 2)->size = 17;
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss, "not a multiple of its element width 16");

  s = good;
  Dir(&s, 1)->id = 1;  // a duplicate id
  Reseal(&s, true, false);
  ExpectError(s, C::kDataLoss, "not strictly ascending");

  // Damage inside a section: the payload checksum catches it and the
  // per-section checksum names the section.
  s = good;
  s[Dir(&s, 2)->offset + 3] ^= 0x10;
  ExpectError(s, C::kDataLoss, "checksum mismatch in section 2 (pairs)");

  // Damage in padding: after the last byte of section 1 ("abc").
  s = good;
  s[Dir(&s, 1)->offset + 5] = 'x';
  ExpectError(s, C::kDataLoss, "checksum mismatch in the padding");
  Reseal(&s, false, true);
  ExpectError(s, C::kDataLoss, "non-zero padding");
}

TEST(TableFileTest, EveryTruncationAndEveryBitFlipIsAnError) {
  const std::string good = BuildImage();
  for (size_t n = 0; n < good.size(); ++n) {
    std::shared_ptr<const TableImage> keep;
    EXPECT_FALSE(ParseCopy(good.substr(0, n), &keep).ok()) << "length " << n;
  }
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    std::string s = good;
    s[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    std::shared_ptr<const TableImage> keep;
    EXPECT_FALSE(ParseCopy(s, &keep).ok()) << "bit " << bit;
  }
}

std::string TempDir() {
  std::string t = ::testing::TempDir();
  if (t.empty() || t.back() != '/') t += '/';
  return t;
}

TEST(TableFileTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  const std::string dir =
      TempDir() + "hatmatch_atomic_" + std::to_string(getpid());
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string path = dir + "/t.hmt";
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, BuildImage()).ok());
  EXPECT_EQ(testing::ReadFile(path), BuildImage());
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  absl::StatusOr<std::shared_ptr<const TableImage>> m = TableImage::Read(path);
  ASSERT_TRUE(m.ok()) << m.status();
  // Replacing the file while mapped leaves the mapping intact (new inode).
  ASSERT_TRUE(WriteFileAtomically(path, "replaced").ok());
  absl::StatusOr<TableFileView> v =
      TableFileView::Parse((*m)->bytes(), path, kCatalog);
  EXPECT_TRUE(v.ok()) << v.status();

  // A directory that does not exist: a clear error, nothing created.
  absl::Status bad = WriteFileAtomically(dir + "/missing/t.hmt", "x");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(Message(bad).find("cannot create a temporary file"),
            std::string::npos)
      << bad;
  unlink(path.c_str());
  EXPECT_EQ(rmdir(dir.c_str()), 0) << "a temporary file was left behind";
}

// Read() checksums the payload as it reads; a file of 32 MB or more is
// read by two threads, one half each, whose checksums are combined.  Both
// paths must give the bytes of the file and the CRC-32C of bytes [64, n).
TEST(TableFileTest, ReadGivesTheBytesAndThePayloadChecksum) {
  for (size_t size : {size_t{10}, size_t{64}, size_t{65}, size_t{3} << 20,
                      (size_t{40} << 20) + 4321}) {
    std::string bytes(size, '\0');
    uint64_t x = size;
    for (char& c : bytes) {
      x = x * 6364136223846793005u + 1442695040888963407u;
      c = static_cast<char>(x >> 56);
    }
    const std::string path =
        TempDir() + "hatmatch_read_" + std::to_string(getpid());
    ASSERT_TRUE(WriteFileAtomically(path, bytes).ok());
    absl::StatusOr<std::shared_ptr<const TableImage>> m =
        TableImage::Read(path);
    unlink(path.c_str());
    ASSERT_TRUE(m.ok()) << m.status();
    const std::span<const std::byte> got = (*m)->bytes();
    ASSERT_EQ(got.size(), size);
    EXPECT_EQ(std::memcmp(got.data(), bytes.data(), size), 0) << size;
    if (size < 64) {
      EXPECT_FALSE((*m)->payload_crc().has_value()) << size;
    } else {
      ASSERT_TRUE((*m)->payload_crc().has_value()) << size;
      EXPECT_EQ(*(*m)->payload_crc(),
                Crc32c(std::string_view(bytes).substr(64)))
          << size;
    }
  }
}

TEST(TableFileTest, MapRefusesWhatIsNotARegularNonEmptyFile) {
  auto m = TableImage::Read("/nonexistent/t.hmt");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  m = TableImage::Read("/");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string empty =
      TempDir() + "hatmatch_empty_" + std::to_string(getpid());
  ASSERT_TRUE(WriteFileAtomically(empty, "").ok());
  m = TableImage::Read(empty);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(Message(m.status()).find("empty file"), std::string::npos);
  unlink(empty.c_str());
}

}  // namespace
}  // namespace hatmatch
