// Copyright 2026 The hatmatch Authors.
//
// reloader.h: keeps the Matcher's table in step with the rules file.
//
// A thread polls the file's identity (device, inode, size, modification time
// in nanoseconds) every `interval`; a change, or Request() (SIGHUP), reloads
// through the Matcher: a rule file is parsed and compiled, a table file is
// opened and validated.  A failed reload logs the error and leaves the old
// table serving; the next change of the file tries again.  Polling rather
// than inotify: it also sees a file replaced by rename or behind a symlink,
// and costs one stat(2) per interval.

#ifndef HATMATCH_ENGINE_SERVE_RELOADER_H_
#define HATMATCH_ENGINE_SERVE_RELOADER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "hatmatch/matcher.h"

namespace hatmatch::serve {

class Reloader {
 public:
  // on_done(ok) runs on the reloader thread after every attempt.
  Reloader(Matcher* matcher, std::string path,
           std::chrono::milliseconds interval,
           std::function<void(bool ok)> on_done);
  ~Reloader();  // stops the thread

  void Start();
  void Stop();
  void Request();  // reload now, whatever the file looks like

 private:
  struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = -1;
    int64_t mtime_ns = 0;
    friend bool operator==(const FileId&, const FileId&) = default;
  };
  static FileId Identify(const std::string& path);
  void Loop();
  void ReloadOnce();

  Matcher* matcher_;
  std::string path_;
  std::chrono::milliseconds interval_;
  std::function<void(bool)> on_done_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;       // guarded by mu_
  bool requested_ = false;  // guarded by mu_
  FileId seen_;
  std::thread thread_;
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_RELOADER_H_
