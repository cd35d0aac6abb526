// Copyright 2026 The hatmatch Authors.

#include "engine/serve/reloader.h"

#include <sys/stat.h>

#include <chrono>

#include "engine/serve/log.h"
#include "fmt/format.h"
#include "hatmatch/table.h"

namespace hatmatch::serve {

Reloader::Reloader(Matcher* matcher, std::string path,
                   std::chrono::milliseconds interval,
                   std::function<void(bool)> on_done)
    : matcher_(matcher),
      path_(std::move(path)),
      interval_(interval),
      on_done_(std::move(on_done)),
      seen_(Identify(path_)) {}

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
    FileId now = Identify(path_);
    // A file that vanished (an editor's rename dance) is not reloaded; the
    // next poll sees the new one.
    bool changed = !(now == seen_) && now.size >= 0;
    if (requested || changed) {
      seen_ = now;
      ReloadOnce();
    }
    lock.lock();
  }
}

void Reloader::ReloadOnce() {
  auto start = std::chrono::steady_clock::now();
  absl::Status s = Table::IsTableFile(path_) ? matcher_->Reload(path_)
                                             : matcher_->ReloadRules(path_);
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
