// Copyright 2026 The hatmatch Authors.
//
// reloader.h: keeps the Matcher's table in step with the rules file.
//
// A thread polls the file's identity (device, inode, size, modification time
// in nanoseconds) every `interval`; a change, or Request() (SIGHUP), reloads:
// a rule file is parsed and compiled, a table file is opened and validated,
// and the table is published through the Matcher.  A failed reload logs the
// error and leaves the old table serving; the next change of the file tries
// again.  Polling rather than inotify: it also sees a file replaced by rename
// or behind a symlink, and costs one stat(2) per interval.
//
// A file written in place (an editor's save, `cp`, a feed appending) is
// truncated and refilled, and a half-written rule file often parses: cut at
// a line end it is a shorter rule set, cut inside `10.1.2.0/24` it is
// `10.1.2.0/2`.  Publishing it would serve wrong answers until the next
// poll.  So a change made in place (same device and inode as at the
// previous poll) is loaded only once the file has kept one identity for a
// whole interval (the writer has paused or finished), and a load whose file
// changed in place while it was read is not published: it is retried once the
// file is still again.  A file replaced by rename is loaded at once.  Only a
// writer that stalls mid-file for longer than the interval, or one that
// deletes the file and writes a new one slowly, can still be caught;
// replacing the file by rename never is.

#ifndef HATMATCH_ENGINE_SERVE_RELOADER_H_
#define HATMATCH_ENGINE_SERVE_RELOADER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "hatmatch/matcher.h"
#include "hatmatch/table.h"

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

  // One poll, as the thread makes every interval: reloads when `requested`,
  // or when the file differs from the one last loaded and is unchanged since
  // the previous poll.  Public so that tests can drive the polls themselves
  // (on a Reloader that was not started).
  void Poll(bool requested);

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
  // The table of the file as it is now (not yet published).
  absl::StatusOr<std::shared_ptr<const Table>> Load() const;
  void ReloadOnce();

  Matcher* matcher_;
  std::string path_;
  std::chrono::milliseconds interval_;
  std::function<void(bool)> on_done_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;       // guarded by mu_
  bool requested_ = false;  // guarded by mu_
  // Used by the polling thread only (or a test's Poll() calls).
  FileId seen_;       // the file last loaded (or there at start)
  FileId last_poll_;  // the file at the previous poll
  std::thread thread_;
};

}  // namespace hatmatch::serve

#endif  // HATMATCH_ENGINE_SERVE_RELOADER_H_
