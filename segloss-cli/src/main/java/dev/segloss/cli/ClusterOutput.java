package dev.segloss.cli;

import dev.segloss.cli.cluster.Locations;
import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.RemoteFolders;
import dev.segloss.core.InvalidInputException;
import dev.segloss.train.OutputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The output folder of a command run on a cluster, prepared as the local command prepares it: refused when it
 * is not a folder, or not empty unless {@code --overwrite}; one writer at a time. A local folder (which every
 * executor must see) goes through the local code ({@link OutputFiles#openOutputDir}: the driver holds its
 * lock while the executors write); a URI gets a lock file {@value #LOCK} created exclusively (atomic on HDFS)
 * and deleted when the job ends.
 */
final class ClusterOutput {
  /** The lock file of a URI output folder (hidden: listings skip it). */
  static final String LOCK = ".segloss.lock";
  final String location;
  final OutputFiles.Output local;
  final boolean createdRemote;

  private ClusterOutput(String location, OutputFiles.Output local, boolean createdRemote) {
    this.location = location;
    this.local = local;
    this.createdRemote = createdRemote;
  }

  /** @param subfolders folders made inside it before the executors write (e.g. {@code probabilities}) */
  static ClusterOutput prepare(RemoteFiles fs, String out, boolean overwrite, List<String> subfolders) throws IOException {
    if (!Locations.isUri(out)) {
      // as the local command: one writer per folder (the driver holds the lock while the executors write)
      OutputFiles.Output folder = OutputFiles.openOutputDir(Path.of(out), overwrite, "--out");
      try {
        for (String sub : subfolders) {
          dev.segloss.core.io.AtomicFiles.removeStaleTemporaries(Path.of(out).resolve(sub));
          Files.createDirectories(Path.of(out).resolve(sub));
        }
      } catch (IOException | RuntimeException e) {
        folder.abandon();
        throw e;
      }
      return new ClusterOutput(Locations.absolute(Path.of(out)), folder, false);
    }
    RemoteFiles.Kind k = RemoteFolders.kind(fs, out);
    if (k == RemoteFiles.Kind.FILE || k == RemoteFiles.Kind.OTHER) throw new InvalidInputException("--out " + out + ": exists and is not a folder");
    if (k == RemoteFiles.Kind.DIRECTORY && !overwrite && fs.list(out).stream().anyMatch(e -> !e.name().equals(LOCK))) {
      throw new InvalidInputException("--out " + out
          + ": folder exists and is not empty; choose another name or pass --overwrite (files of the same names are replaced, nothing is deleted)");
    }
    boolean created = fs.mkdirs(out);
    // one writer per folder: a lock file created exclusively (atomic on HDFS), deleted when the job ends
    String lock = Locations.child(out, LOCK);
    String holder = ProcessHandle.current().pid() + "@" + java.net.InetAddress.getLocalHost().getHostName();
    if (!fs.createExclusive(lock, holder.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      throw new InvalidInputException("--out " + out + ": another segloss job writes there (" + lock
          + " exists; delete it if no job is running)");
    }
    for (String sub : subfolders) fs.mkdirs(Locations.child(out, sub));
    return new ClusterOutput(out, null, created);
  }

  /** Ends the job's hold on the folder (a URI's lock file is deleted; a local folder is unlocked as locally). */
  void release(RemoteFiles fs) {
    if (local != null) {
      local.close();
      return;
    }
    try {
      fs.delete(Locations.child(location, LOCK));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the lock file of " + location + ": " + e.getMessage(), e);
    }
  }

  /** After a failure: removes what {@link #prepare} created when it is still empty. */
  void abandon(RemoteFiles fs) {
    if (local != null) {
      local.abandon();
      return;
    }
    try {
      release(fs);
    } catch (UncheckedIOException e) {
      // the failure being reported matters more
    }
    if (!createdRemote) return;
    try {
      for (RemoteFiles.Entry e : fs.list(location)) {
        if (e.kind() == RemoteFiles.Kind.DIRECTORY && fs.list(e.uri()).isEmpty()) fs.delete(e.uri());
      }
      if (fs.list(location).isEmpty()) fs.delete(location);
    } catch (IOException | RuntimeException e) {
      // the failure being reported matters more
    }
  }
}
