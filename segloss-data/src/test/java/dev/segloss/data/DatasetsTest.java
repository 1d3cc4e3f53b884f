package dev.segloss.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetsTest {
  /** Every kind of spec the sealed DataSpec permits has exactly one registered source, and load uses it. */
  @Test
  void everyKindOfSpecHasExactlyOneRegisteredSource() {
    List<DataSource> sources = ServiceLoader.load(DataSource.class).stream().map(ServiceLoader.Provider::get).toList();
    Set<Class<?>> types = new HashSet<>();
    for (DataSource s : sources) types.add(s.specType());
    assertEquals(sources.size(), types.size(), "two sources for one kind of spec: " + sources);
    assertEquals(Set.of(DataSpec.class.getPermittedSubclasses()), types);
    for (DataSpec spec : List.of(DataSpec.parse("synthetic"), DataSpec.parse("some/folder"),
        DataSpec.parse("nifti:image=a.nii,labels=b.nii"))) {
      DataSource s = Datasets.source(spec);
      assertSame(spec.getClass(), s.specType(), spec.canonical());
    }
    assertEquals(3, Arrays.stream(DataSpec.class.getPermittedSubclasses()).count());
    assertEquals(Path.of("some/folder"), ((DataSpec.Folder) DataSpec.parse("some/folder")).path());
  }

  /** Loading through the registry gives the same data as the synthetic source called directly would (same canonical spec, sizes). */
  @Test
  void loadGoesThroughTheRegisteredSource() {
    SegDataset d = Datasets.load("synthetic:n=20,size=16", LoadOptions.defaults());
    assertEquals(DataSpec.parse("synthetic:n=20,size=16").canonical(), d.spec());
    assertEquals(20, d.all().size());
  }
}
