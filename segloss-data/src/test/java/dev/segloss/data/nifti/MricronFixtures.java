package dev.segloss.data.nifti;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates Debian's mricron-data templates, fetched by {@code scripts/fetch-fixtures.sh} into {@code
 * .fixtures/} (never committed); shared with segloss-train's tests through the test jar.
 */
public final class MricronFixtures {
  private MricronFixtures() {}

  /**
   * The templates folder ({@code .fixtures/mricron/usr/share/mricron/templates}, searched upwards from the
   * working directory to the repository root). When missing: fails with {@code CI=true}, else aborts the
   * test with how to fetch it.
   */
  public static Path templates() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path t = p.resolve(".fixtures/mricron/usr/share/mricron/templates");
      if (Files.isDirectory(t)) return t;
      if (Files.exists(p.resolve("scripts/fetch-fixtures.sh"))) break;
    }
    String msg = "fixture .fixtures/mricron is missing: run scripts/fetch-fixtures.sh";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg);
    Assumptions.abort(msg);
    return null;
  }
}
