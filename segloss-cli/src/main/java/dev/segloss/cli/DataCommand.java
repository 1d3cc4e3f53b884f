package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.DataSpec;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Split;
import dev.segloss.data.folder.FolderExport;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segloss data}: commands on {@code --data} values; {@code segloss data export}. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    header = "Commands on data sets: export.",
    usageHelpWidth = 100,
    description = {"Commands on data sets (--data values). Run 'segloss data export --help'."},
    footerHeading = "%nExamples:%n",
    footer = {"  ./segloss data export --data synthetic:n=60 --out data/"},
    subcommands = {DataCommand.Export.class})
public final class DataCommand extends SeglossCommand {
  @Override
  public Integer call() {
    throw new InvalidInputException("expected a subcommand: export (see 'segloss data export --help')");
  }

  /** {@code segloss data export}: a data set as folders of PNG images and masks, per split. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      header = "Writes a data set as PNG images and masks, per split (train/, val/, test/).",
      sortOptions = false,
      usageHelpWidth = 100,
      description = {
        "Loads a --data value as 'train' does (same split for the same --split-seed) and writes it as a",
        "folder that --data, predict, evaluate and weights read:",
        "  OUT/train/images/NAME.png  16-bit gray, the image before normalisation, its min..max on 0..65535",
        "  OUT/train/masks/NAME.png   8-bit gray, 0 background, 255 foreground",
        "  OUT/val/..., OUT/test/...  the other parts;  OUT/export.json  the source spec, seed and counts",
        "PNG for every source (NIfTI slices too). Loading OUT back (--data OUT) keeps the split and gives",
        "the same masks and, up to the 16-bit quantisation, the same normalised images; NIfTI slices come",
        "back normalised per slice instead of over the volume. Written to a hidden temporary folder that is",
        "renamed to OUT at the end; OUT must not exist or be empty."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  ./segloss data export --data synthetic:n=60 --out data/",
        "  ./segloss weights --masks data/train/masks/",
        "  ./segloss data export --data 'nifti:image=T1.nii.gz,labels=aparc.nii.gz,label=17+53' --out hippo/"
      })
  public static final class Export extends SeglossCommand {
    @Option(names = "--data", paramLabel = "D", defaultValue = "synthetic",
        description = "synthetic[:options] | DIR (images/ + masks/) | nifti:image=...,labels=... (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to create (refused when it exists and is not empty).")
    Path out;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "" + LoadOptions.DEFAULT_SEED,
        description = "Seed of the train/val/test split, as train's (default ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--mask-threshold", paramLabel = "T", defaultValue = "0", description = "Mask images: raw value > T is foreground (default ${DEFAULT-VALUE}).")
    double maskThreshold;

    @Option(names = "--skip-bad", description = "Skip unreadable images (listed at the end) instead of stopping.")
    boolean skipBad;

    @Override
    public Integer call() {
      LoadOptions options = LoadOptions.builder().seed(splitSeed).maskThreshold(maskThreshold).skipBad(skipBad).build();
      DataSpec source = DataSpec.parse(data);
      FolderExport.Export e = FolderExport.export(source, out, "--out", options);
      for (String w : e.data().warnings()) err().println("warning: " + w);
      if (!e.data().skipped().isEmpty()) {
        err().println("skipped " + e.data().skipped().size() + " unreadable file(s):");
        for (String s : e.data().skipped()) err().println("  " + s);
      }
      err().flush();
      FolderExport.Summary s = e.summary();
      out().printf(Locale.ROOT, "%s: %d train, %d val, %d test image/mask pairs of %dx%d from %s%n", out, s.counts().get(Split.TRAIN),
          s.counts().get(Split.VAL), s.counts().get(Split.TEST), s.height(), s.width(), source.canonical());
      out().flush();
      return 0;
    }
  }
}
