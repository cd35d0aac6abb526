// Copyright 2026 The hatmatch Authors.
//
// reload.cc: the C++ API in a server's shape.  One hatmatch::Matcher serves
// lookups while the rules are reloaded underneath it: here a reader thread
// classifies the connections of stdin while the main thread reloads RULES a
// few times (a real server reloads on SIGHUP or when the file changes).
// Prints "RULE<TAB>ACTION" per connection line like `hatmatch classify`,
// then the number of reloads to stderr.
//
//   usage: hatmatch-reload-cpp RULES < CONNECTIONS

#include <hatmatch/connection.h>
#include <hatmatch/matcher.h>
#include <hatmatch/table.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

// The output line for one input line, by the table current at that moment.
// Get() pins that table so that the rule name comes from the same table
// that decided.
std::string Classify(const hatmatch::Matcher& matcher,
                     const std::string& line) {
  absl::StatusOr<hatmatch::Connection> conn = hatmatch::ParseConnection(line);
  if (!conn.ok()) return "?\t" + std::string(conn.status().message());
  std::shared_ptr<const hatmatch::Table> table = matcher.Get();
  if (table == nullptr) return "-\t-";
  const hatmatch::Decision d = table->Classify(*conn);
  if (!d.matched()) return "-\t-";
  return std::string(table->rule_name(d.rule)) + "\t" +
         std::string(hatmatch::ActionName(d.action));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " RULES < CONNECTIONS\n";
    return 2;
  }
  const std::string rules = argv[1];
  hatmatch::Matcher matcher;
  if (absl::Status s = matcher.ReloadRules(rules); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }

  std::vector<std::string> lines;
  for (std::string line; std::getline(std::cin, line);) {
    if (!hatmatch::IsSkippedConnectionLine(line)) lines.push_back(line);
  }
  std::atomic<bool> done = false;
  std::vector<std::string> out(lines.size());
  std::thread reader([&] {
    for (size_t i = 0; i < lines.size(); ++i)
      out[i] = Classify(matcher, lines[i]);
    done = true;
  });
  // Writer: reload while the reader runs.  A failed reload would leave the
  // old table serving; the reader never sees a half-built one.
  int reloads = 0;
  do {
    if (absl::Status s = matcher.ReloadRules(rules); !s.ok()) {
      std::cerr << "reload failed, old rules still serve: " << s.message()
                << "\n";
    } else {
      ++reloads;
    }
  } while (!done && reloads < 1000);
  reader.join();

  for (const std::string& o : out) std::cout << o << "\n";
  std::cerr << "generation " << matcher.generation() << " after " << reloads
            << " reloads\n";
  return 0;
}
