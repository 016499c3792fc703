package pmodel.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pmodel.api.error.PmodelException;
import pmodel.data.builtin.Outfits;
import pmodel.api.data.ContinuousFeature;
import pmodel.api.data.Dataset;
import pmodel.api.data.DiscreteFeature;
import pmodel.api.data.Schema;

class CsvDataTest {
  @TempDir
  Path dir;

  private Path csv(String text) throws IOException {
    Path p = dir.resolve("data.csv");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void infersSortedLevelsAndContinuousColumns() throws IOException {
    Path p = csv("color,size,x\nred,10,1.5\nblue,2,-2\n\"red, dark\",10,3e2\n");
    Dataset d = CsvData.read(p, new ReadOptions(null, Set.of("x"), null));
    assertThat(d.rows()).isEqualTo(3);
    DiscreteFeature color = d.schema().discrete(0);
    assertThat(color.levels()).containsExactly("blue", "red", "red, dark");
    assertThat(d.schema().discrete(1).levels()).containsExactly("2", "10");
    assertThat(d.schema().feature(2)).isEqualTo(new ContinuousFeature("x"));
    assertThat(d.code(0, 0)).isEqualTo(1);
    assertThat(d.code(2, 0)).isEqualTo(2);
    assertThat(d.code(1, 1)).isEqualTo(0);
    assertThat(d.value(2, 2)).isEqualTo(300.0);
  }

  @Test
  void writeThenReadWithTheSchemaRoundTrips() {
    Dataset d = Outfits.sample(500, 3, 0);
    Path p = dir.resolve("o.csv");
    CsvData.write(p, d);
    Dataset back = CsvData.read(p, ReadOptions.withSchema(Outfits.schema()));
    assertThat(back.fingerprint()).isEqualTo(d.fingerprint());
  }

  @Test
  void columnsAreMatchedByNameAndExtrasBecomeMetadata() throws IOException {
    Schema s = Schema.of(DiscreteFeature.categorical("a", List.of("x", "y")),
        new ContinuousFeature("b"));
    Path p = csv("label,b,a\ncat,1.0,y\ndog,2.0,x\n");
    Dataset d = CsvData.read(p, ReadOptions.withSchema(s));
    assertThat(d.code(0, 0)).isEqualTo(1);
    assertThat(d.value(1, 1)).isEqualTo(2.0);
    assertThat(d.metadata()).isPresent();
    assertThat(d.metadata().get().schema().discrete(0).level(d.metadata().get().code(1, 0)))
        .isEqualTo("dog");
  }

  private String error(Path p, ReadOptions options) {
    try {
      CsvData.read(p, options);
    } catch (PmodelException e) {
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("reading should fail");
  }

  @Test
  void aMissingColumnNamesFileLineAndExpectation() throws IOException {
    Path p = csv("a,b,c\n1,2,3\n4,5\n");
    assertThat(error(p, ReadOptions.defaults()))
        .isEqualTo(p + ":3: expected 3 columns (a, b, c), found 2");
  }

  @Test
  void anUnknownLevelNamesTheColumnAndTheKnownLevels() throws IOException {
    Path p = csv(String.join(",", Outfits.FEATURES)
        + "\nBlank,Black,Hoodie,Black,NoHair\nBlank,Black,Hoodie,Purple,NoHair\n");
    assertThat(error(p, ReadOptions.withSchema(Outfits.schema())))
        .isEqualTo(p + ":3: column 'hair_color': unknown level 'Purple'; expected one of Black,"
            + " Blonde, Brown, PastelPink, Red, SilverGray");
  }

  @Test
  void nonFiniteAndNonNumericContinuousValuesAreRefusedWithTheirRow() throws IOException {
    Path p = csv("x,y\n1,a\nNaN,b\n");
    assertThat(error(p, new ReadOptions(null, Set.of("x"), null)))
        .isEqualTo(p + ":3: column 'x': 'NaN' is not finite; expected a finite number (NaN and"
            + " infinity are refused)");
    p = csv("x,y\n1,a\nInfinity,b\n");
    assertThat(error(p, new ReadOptions(null, Set.of("x"), null))).contains(":3:");
    p = csv("x,y\n1,a\n2,b\nabc,c\n");
    assertThat(error(p, new ReadOptions(null, Set.of("x"), null)))
        .isEqualTo(p + ":4: column 'x': 'abc' is not a number");
  }

  @Test
  void emptyFilesHeadersAndCellsAreRefused() throws IOException {
    assertThat(error(csv(""), ReadOptions.defaults())).endsWith("the file is empty; expected a"
        + " header row");
    assertThat(error(csv("a,a\n1,2\n"), ReadOptions.defaults())).contains("appears twice");
    assertThat(error(csv("a,b\n1,\n"), ReadOptions.defaults())).contains("column 'b' is empty");
    assertThat(error(csv("a,b\n1,\"2\n"), ReadOptions.defaults())).contains("malformed CSV");
    assertThat(error(dir.resolve("none.csv"), ReadOptions.defaults())).endsWith("no such file");
    assertThat(error(csv("a\n1\n"), new ReadOptions(null, Set.of("b"), null)))
        .contains("--continuous names column 'b'");
  }

  @Test
  void aHeaderOnlyFileHasNoRows() throws IOException {
    assertThat(CsvData.read(csv("a,b\n"), ReadOptions.defaults()).rows()).isZero();
  }
}
