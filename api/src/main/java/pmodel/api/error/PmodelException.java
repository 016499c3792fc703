package pmodel.api.error;

/**
 * The one exception type pmodel reports to users: its message is a single line that names the
 * file, the place and what was expected, and {@link #exitCode()} is the process exit code the CLI
 * uses (2 for bad input or bad usage, 1 for a failure while running).
 */
public class PmodelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code for bad input or bad usage. */
  public static final int BAD_INPUT = 2;
  /** Exit code for a failure while running. */
  public static final int FAILURE = 1;

  private final int exitCode;

  public PmodelException(int exitCode, String message, Throwable cause) {
    super(oneLine(message), cause);
    this.exitCode = exitCode;
  }

  /** Bad input: a malformed file, an unknown level, an out-of-range parameter (exit code 2). */
  public static PmodelException badInput(String message) {
    return new PmodelException(BAD_INPUT, message, null);
  }

  /** Bad input with the low-level cause kept for {@code --debug}. */
  public static PmodelException badInput(String message, Throwable cause) {
    return new PmodelException(BAD_INPUT, message, cause);
  }

  /** A failure while running that is not the input's fault (exit code 1). */
  public static PmodelException failure(String message, Throwable cause) {
    return new PmodelException(FAILURE, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    return message.replace('\r', ' ').replace('\n', ' ');
  }
}
