package pmodel.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import pmodel.api.error.PmodelException;

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
   * directory is missing or cannot be written, or the target is something other than a regular
   * file. A symbolic link is refused rather than replaced by a file (the atomic rename would
   * replace the link itself, not what it points to), and so are devices, pipes and sockets
   * ({@code /dev/null} run as root would otherwise be replaced by a zip file).
   */
  public static void checkWritable(Path target) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw PmodelException.badInput("cannot write " + target + ": directory " + dir
          + " does not exist");
    }
    if (Files.isSymbolicLink(abs)) {
      throw PmodelException.badInput("cannot write " + target + ": it is a symbolic link;"
          + " pmodel replaces its outputs atomically and never replaces a link: name the file"
          + " it points to");
    }
    if (Files.isDirectory(abs)) {
      throw PmodelException.badInput("cannot write " + target + ": it is a directory");
    }
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw PmodelException.badInput("cannot write " + target + ": it is not a regular file"
          + " (a device, pipe or socket); name a regular file");
    }
    int nameBytes = abs.getFileName().toString().getBytes(StandardCharsets.UTF_8).length;
    if (nameBytes > MAX_NAME_BYTES) {
      throw PmodelException.badInput("cannot write " + target + ": the file name is "
          + nameBytes + " bytes long; file systems allow at most " + MAX_NAME_BYTES
          + ": choose a shorter name");
    }
    // a real probe: permission bits say nothing about read-only mounts, and root ignores them
    try {
      Files.delete(Files.createTempFile(dir, tempPrefix(abs), ""));
    } catch (IOException | SecurityException e) {
      throw PmodelException.badInput("cannot write " + target + ": directory " + dir
          + " is not writable (" + reason(e) + "); choose a directory you can write to", e);
    }
  }

  /** The longest file name (in UTF-8 bytes) that common file systems (ext4, XFS, APFS) allow. */
  public static final int MAX_NAME_BYTES = 255;

  /**
   * The temporary file's prefix: the target's name cut to 64 characters, so that a target whose
   * name is near the limit still has a temporary file whose name fits.
   */
  private static String tempPrefix(Path abs) {
    String name = abs.getFileName().toString();
    if (name.length() > 64) {
      name = name.substring(0, 64);
    }
    return "." + name + ".pmodel-tmp-";
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Fails when output {@code outOption} {@code out} is the same file as input {@code inOption}
   * {@code in} (also through a link), which writing would destroy; does nothing when
   * {@code in} is null.
   */
  public static void checkNotInput(String outOption, Path out, String inOption, Path in) {
    if (out == null || in == null) {
      return;
    }
    boolean same;
    try {
      same = Files.exists(out) && Files.exists(in) ? Files.isSameFile(out, in)
          : out.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize());
    } catch (IOException e) {
      same = out.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize());
    }
    if (same) {
      throw PmodelException.badInput(outOption + " " + out + " is the input " + inOption + " "
          + in + "; writing it would destroy the input: choose another file");
    }
  }

  /** The file a SOURCE argument names, or null for a built-in source or an invalid path. */
  public static Path sourceFile(String source) {
    if (source == null || source.startsWith("builtin:")) {
      return null;
    }
    try {
      return Path.of(source);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
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
      tmp = Files.createTempFile(dir, tempPrefix(abs), "");
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
