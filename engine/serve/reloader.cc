// Copyright 2026 The hatmatch Authors.

#include "engine/serve/reloader.h"

#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <utility>

#include "engine/serve/log.h"
#include "fmt/format.h"
#include "hatmatch/parse.h"
#include "hatmatch/table.h"

namespace hatmatch::serve {

Reloader::Reloader(Matcher* matcher, std::string path,
                   std::chrono::milliseconds interval,
                   std::function<void(bool)> on_done)
    : matcher_(matcher),
      path_(std::move(path)),
      interval_(interval),
      on_done_(std::move(on_done)),
      seen_(Identify(path_)),
      last_poll_(seen_) {}

Reloader::~Reloader() { Stop(); }

Reloader::FileId Reloader::Identify(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return FileId{};
  return FileId{st.st_dev, st.st_ino, st.st_size,
                static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                    st.st_mtim.tv_nsec};
}

void Reloader::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Reloader::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Reloader::Request() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
  }
  cv_.notify_all();
}

void Reloader::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, interval_, [this] { return stop_ || requested_; });
    if (stop_) break;
    bool requested = requested_;
    requested_ = false;
    lock.unlock();
    Poll(requested);
    lock.lock();
  }
}

void Reloader::Poll(bool requested) {
  const FileId now = Identify(path_);
  // A file that vanished (an editor's rename dance) is not reloaded; the
  // next poll sees the new one.
  const bool changed = !(now == seen_) && now.size >= 0;
  // A file written in place changes between polls: wait until it holds
  // still for one interval.  A file that is another file than at the
  // previous poll was put there by a rename, whole: no need to wait (and a
  // feed renaming new files in faster than the interval is not starved).
  const bool replaced = now.dev != last_poll_.dev || now.ino != last_poll_.ino;
  const bool settled = replaced || now == last_poll_;
  last_poll_ = now;
  if (requested || (changed && settled)) ReloadOnce();
}

absl::StatusOr<std::shared_ptr<const Table>> Reloader::Load() const {
  if (Table::IsTableFile(path_)) return Table::Open(path_);
  absl::StatusOr<RuleSet> rules = ParseRuleFile(path_);
  if (!rules.ok()) return rules.status();
  return Table::Compile(*rules);
}

void Reloader::ReloadOnce() {
  auto start = std::chrono::steady_clock::now();
  const FileId before = Identify(path_);
  seen_ = before;
  absl::StatusOr<std::shared_ptr<const Table>> table = Load();
  absl::Status s = table.status();
  const FileId after = Identify(path_);
  // Changed in place while it was read: part old bytes, part new, not the
  // file anyone wrote.  The next polls load it again once it holds still.
  // (A file replaced by rename meanwhile was read whole, old or new; the
  // next poll loads the new one.)
  if (s.ok() && after.dev == before.dev && after.ino == before.ino &&
      !(after == before)) {
    seen_ = FileId{};
    s = absl::UnavailableError(
        "the file changed while it was read; it is read again once it stops "
        "changing");
  }
  if (s.ok()) matcher_->Swap(*std::move(table));
  auto ms = std::chrono::duration<double, std::milli>(
                std::chrono::steady_clock::now() - start)
                .count();
  if (s.ok()) {
    Log(LogLevel::kInfo, "reload",
        {{"file", path_},
         {"generation", fmt::format("{}", matcher_->generation())},
         {"ms", fmt::format("{:.1f}", ms)}});
  } else {
    Log(LogLevel::kError, "reload_failed",
        {{"file", path_},
         {"error", std::string_view(s.message().data(), s.message().size())},
         {"generation", fmt::format("{}", matcher_->generation())}});
  }
  if (on_done_) on_done_(s.ok());
}

}  // namespace hatmatch::serve
