package pmodel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmodel makes no network connection: fit, sample, score and inspect (of the counting models
 * and of the vae, whose engine loads native code) run under strace, which
 * records every connect, bind, listen, sendto and sendmsg system call of every thread; none may
 * name an Internet address (AF_INET or AF_INET6). (The JDK creates, and never uses, a socket or
 * two at start-up to probe IPv6 support; libc asks the local name-service cache over a Unix
 * socket for the user's home directory. Neither leaves the machine.)
 */
class NoNetworkIT {
  @TempDir
  Path dir;

  @Test
  void noSystemCallReachesTheNetwork() throws Exception {
    boolean strace = Files.isExecutable(Path.of("/usr/bin/strace"));
    if (!strace && System.getenv("PMODEL_REQUIRE_DATA") != null) {
      throw new AssertionError("strace is required in CI (apt-get install strace)");
    }
    Assumptions.assumeTrue(strace, "strace is not installed");
    String[][] runs = {
        {"fit", "histogram", "--data", "builtin:outfits?rows=2000", "--out", "h.pm"},
        {"fit", "naive-bayes", "--data", "builtin:outfits?rows=2000", "--out", "nb.pm"},
        // the GAN's training engine (DJL with PyTorch) loads its native library offline
        {"fit", "gan", "--data", "builtin:ring8?rows=500", "--set", "epochs=2", "--set",
            "hidden=16", "--threads", "1", "--out", "g.pm"},
        {"sample", "--model", "h.pm", "-n", "1000", "--out", "s.csv"},
        {"sample", "--model", "g.pm", "-n", "100", "--out", "g.csv"},
        {"score", "--model", "nb.pm", "--data", "s.csv"},
        {"inspect", "--model", "h.pm"},
        // the vae loads DJL's PyTorch engine, which must find its native library in the jars
        // (offline mode), never download it
        {"fit", "vae", "--data", "builtin:cans?rows=128", "--set", "epochs=1", "--set",
            "hidden=16", "--threads", "1", "--out", "v.pm"},
        {"sample", "--model", "v.pm", "-n", "16", "--out", "v.png"},
        {"models"}};
    for (String[] args : runs) {
      Path trace = dir.resolve("trace.txt");
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-qq", "-e",
          "trace=connect,bind,listen,sendto,sendmsg,sendmmsg", "-o", trace.toString()));
      cmd.addAll(CliProcess.command(List.of(), args));
      Process p = new ProcessBuilder(cmd).directory(dir.toFile())
          .redirectOutput(dir.resolve("out.txt").toFile())
          .redirectError(dir.resolve("err.txt").toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
      List<String> calls = Files.readAllLines(trace);
      assertThat(calls).as(String.join(" ", args)).noneMatch(l -> l.contains("AF_INET"));
    }
  }
}
