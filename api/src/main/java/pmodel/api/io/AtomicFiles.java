package pmodel.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import pmodel.api.PmodelException;

/**
 * Writes files atomically: the content goes to a temporary file beside the target, is flushed to
 * disk, and is then renamed over the target in one step. Readers see the complete old file or the
 * complete new one, never a partial one; after a crash at any moment the target is unchanged or
 * complete (a stray temporary file may remain, named {@code .NAME.pmodel-tmp-*}).
 */
public final class AtomicFiles {
  private AtomicFiles() {
  }

  /** Writes the content produced by {@code body}. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Fails now, before any long work, when {@code target} could not be written later: its
   * directory is missing or it is a directory.
   */
  public static void checkWritable(Path target) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw PmodelException.badInput("cannot write " + target + ": directory " + dir
          + " does not exist");
    }
    if (Files.isDirectory(abs)) {
      throw PmodelException.badInput("cannot write " + target + ": it is a directory");
    }
  }

  /**
   * Writes {@code target} atomically. Fails with a one-line error naming the file when its
   * directory does not exist or cannot be written; nothing is left behind on failure.
   */
  public static void write(Path target, Body body) {
    checkWritable(target);
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".pmodel-tmp-", "");
    } catch (IOException e) {
      throw PmodelException.failure("cannot write " + target + ": " + e.getMessage(), e);
    }
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream raw = Channels.newOutputStream(ch);
        OutputStream out = new java.io.BufferedOutputStream(new NonClosing(raw), 1 << 16);
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      keepPermissions(tmp, abs);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException e) {
      throw PmodelException.failure("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the failure being reported matters more than the stray temporary file
        }
      }
    }
  }

  /**
   * The temporary file is created private (rw-------); the result gets the permissions of the
   * file it replaces, or rw-r--r-- for a new file, as an ordinary write would give it.
   */
  private static void keepPermissions(Path tmp, Path target) throws IOException {
    if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
        Files.exists(target) ? Files.getPosixFilePermissions(target)
            : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, perms);
  }

  /** Keeps the body from closing the channel before it is forced to disk. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
