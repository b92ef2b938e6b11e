// Real programs run unharmed, with zero violations, under the default preset
// and under Docker's default profile (issue 5, item 4).
#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

struct Case {
  std::string name;
  std::vector<std::string> command;  // {DIR} is replaced by a temp dir
  std::string expect_in_output;
};

std::vector<Case> cases() {
  return {
      {"shell_pipeline", {"/bin/sh", "-c", "ls / | wc -l"}, ""},
      {"python_threads",
       {"/usr/bin/python3", "-c",
        "import threading\nout=[]\nts=[threading.Thread(target=lambda i=i: out.append(i*i)) for i in range(8)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]; print(sum(out))"},
       "140\n"},
      {"gcc_hello", {"/bin/sh", "-c", "cd {DIR} && printf '#include <stdio.h>\\nint main(void){puts(\"hi\");return 0;}\\n' > h.c && gcc -o h h.c && ./h"}, "hi\n"},
      {"tar_directory", {"/bin/sh", "-c", "mkdir -p {DIR}/t/a && echo data > {DIR}/t/a/f && tar -cf {DIR}/t.tar -C {DIR} t && tar -tf {DIR}/t.tar | wc -l"}, "3\n"},
  };
}

void run_clean(const std::vector<std::string>& policy) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    std::vector<std::string> args{"run"};
    args.insert(args.end(), policy.begin(), policy.end());
    const std::string report = dir / "r.json";
    args.insert(args.end(), {"--report", report, "--"});
    for (std::string word : c.command) {
      for (std::size_t at; (at = word.find("{DIR}")) != std::string::npos;) word.replace(at, 5, dir.path());
      args.push_back(word);
    }
    auto r = seccage(args);
    EXPECT_EQ(r.exit_code(), 0) << r.err;
    if (!c.expect_in_output.empty()) {
      EXPECT_EQ(r.status.output, c.expect_in_output) << r.err;
    }
    auto j = read_report(report);
    EXPECT_EQ(j["verdict"], "ok") << j.dump(2);
    EXPECT_EQ(j["violation_count"], 0) << j.dump(2);
    EXPECT_EQ(j["supervised"], true);
  }
}

TEST(RunRealPrograms, UnderTheDefaultPreset) { run_clean({"--preset", "default"}); }

TEST(RunRealPrograms, UnderDockersDefaultProfile) {
  run_clean({"--profile", kShared + "/profiles/docker-default.json"});
}

}  // namespace
}  // namespace seccage::runtest
