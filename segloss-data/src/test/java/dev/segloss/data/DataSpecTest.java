package dev.segloss.data;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.synthetic.SyntheticGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataSpecTest {
  /** (--data value, canonical form). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "synthetic | synthetic:fg=0.02,size=128,n=400,seed=7,empty=0.15,contrast=1,clutter=1,norm=zscore",
    "SYNTHETIC:fg=0.05, n=50 ,seed=-3 | synthetic:fg=0.05,size=128,n=50,seed=-3,empty=0.15,contrast=1,clutter=1,norm=zscore",
    "synthetic:size=64,norm=minmax,empty=0,contrast=0.5,clutter=2 | synthetic:fg=0.02,size=64,n=400,seed=7,empty=0,contrast=0.5,clutter=2,norm=minmax",
    "data/cells | folder:path=data/cells,norm=zscore",
    "folder:path=x,size=96x128,mask_suffix=_mask | folder:path=x,size=96x128,norm=zscore,mask_suffix=_mask",
    "nifti:image=T1.nii.gz,labels=atlas.nii.gz,label=38+37,axis=axial | nifti:image=T1.nii.gz,labels=atlas.nii.gz,label=37+38,axis=axial,empty_ratio=0.25,slab=0,gap=1,size=auto,norm=zscore,affine_tol=0.001",
    "nifti:image=a.nii,labels=b.nii,axis=2,empty_ratio=all,size=full,volume=3,gap=0,slab=5 | nifti:image=a.nii,labels=b.nii,label=any,axis=k,empty_ratio=all,slab=5,gap=0,size=full,norm=zscore,volume=3,affine_tol=0.001",
    "nifti:image=a.nii,labels=b.nii,size=128,axis=Sagittal | nifti:image=a.nii,labels=b.nii,label=any,axis=sagittal,empty_ratio=0.25,slab=0,gap=1,size=128x128,norm=zscore,affine_tol=0.001",
  })
  void parsesAndSpellsOutDefaults(String text, String canonical) {
    DataSpec s = DataSpec.parse(text);
    assertEquals(canonical, s.canonical());
    // the canonical form parses to the same thing
    assertEquals(canonical, DataSpec.parse(canonical).canonical());
  }

  /** (--data value, message fragment naming the option). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "synthetic:fg=abc | option 'fg' expects a number, got 'abc'",
    "synthetic:fg=0 | option 'fg' expects a number in (0, 0.5], got '0'",
    "synthetic:fg=0.3 | option 'fg' = 0.3 with empty = 0.15 asks for a mean foreground of 0.35",
    "synthetic:sze=64 | unknown option 'sze' (expected one of fg, size, n, seed, empty, contrast, clutter, norm)",
    "synthetic:size=8 | option 'size' expects an integer in [16, 4096], got '8'",
    "synthetic:n=2 | option 'n' expects an integer in [3,",
    "synthetic:n=10,n=20 | option 'n' is given twice",
    "synthetic:n | option 'n' is not of the form key=value",
    "synthetic:n=10, | empty option",
    "synthetic:norm=robust | option 'norm' expects zscore, minmax or none, got 'robust'",
    "nifti:labels=b.nii | option 'image' is required",
    "nifti:image=a.nii | option 'labels' is required",
    "nifti:image=a,labels=b,label=37+x | option 'label' expects integer label values joined by '+'",
    "nifti:image=a,labels=b,axis=up | option 'axis' expects axial, coronal, sagittal, i, j or k, got 'up'",
    "nifti:image=a,labels=b,size=12xx3 | option 'size' expects N or HxW",
    "nifti:image=a,labels=b,empty_ratio=-1 | option 'empty_ratio' expects a number in [0,",
    "folder:size=64 | option 'path' is required",
  })
  void badValuesGiveOneLineErrorsNamingTheOption(String text, String fragment) {
    assertMessage(() -> DataSpec.parse(text), fragment);
    assertMessage(() -> DataSpec.parse(text), "--data " + text.trim());
  }

  @Test
  void recordsHoldTheParsedValues() {
    DataSpec.Nifti n = (DataSpec.Nifti) DataSpec.parse("nifti:image=T1.nii.gz,labels=atlas.nii.gz,label=37+38,size=160x192,affine_tol=0.5");
    assertEquals(Path.of("T1.nii.gz"), n.image());
    assertArrayEquals(new int[] {37, 38}, n.labelValues());
    assertArrayEquals(new int[] {160, 192}, n.size());
    assertEquals(0.5, n.affineTol());
    assertEquals(DataSpec.Axis.AXIAL, n.axis());
    DataSpec.Synthetic s = DataSpec.Synthetic.defaults();
    assertEquals(DataSpec.Synthetic.DEFAULT_N, s.n());
    assertMessage(() -> DataSpec.parse(" "), "--data: expected synthetic[:options], a folder or nifti:...");
  }
}
