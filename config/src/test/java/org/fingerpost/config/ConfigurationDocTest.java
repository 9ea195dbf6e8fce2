package org.fingerpost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key table and the catalogue ({@link Keys}) say the same: every key once, no
 * key the catalogue lacks, and per key the same default, unit and readers. A failure prints the rows
 * the catalogue expects, to paste into the doc.
 */
class ConfigurationDocTest {
  /** The module runs its tests in {@code config/}; the docs are beside it. */
  static final Path DOC = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("configuration.md");

  /** One row of the table: section, key, default, unit, read by, meaning. */
  record Row(String section, String key, String defaultCell, String unit, String readBy) {}

  static Map<String, Row> rows() throws Exception {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DOC)) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
      if (cells.length != 6) {
        continue; // other tables (the fixed limits, the WAR's named keys)
      }
      Row row = new Row(unquote(cells[0]), unquote(cells[1]), cells[2].trim(), cells[3].trim(), cells[4].trim());
      assertTrue(rows.put(row.section() + "." + row.key(), row) == null, "listed twice: " + row);
    }
    return rows;
  }

  @Test
  void everyCatalogueKeyIsDocumentedWithItsDefaultUnitAndReaders() throws Exception {
    Map<String, Row> rows = rows();
    List<String> wrong = new ArrayList<>();
    for (Key key : Keys.all()) {
      Row row = rows.remove(key.path());
      if (row == null) {
        wrong.add("missing: " + expected(key));
        continue;
      }
      boolean defaultOk = key.defaultValue() == null ? !row.defaultCell().startsWith("`")
          : row.defaultCell().startsWith("`" + key.defaultValue() + "`");
      if (!defaultOk || !row.unit().equals(key.unit()) || !row.readBy().equals(readBy(key))) {
        wrong.add("differs: " + row + "\n    expected " + expected(key));
      }
    }
    rows.keySet().forEach(k -> wrong.add("not in the catalogue (org.fingerpost.config.Keys): " + k));
    assertEquals("", String.join("\n", wrong));
  }

  @Test
  void everyWarKeyHasItsPropertyAndVariable() {
    for (Key key : Keys.all()) {
      assertEquals("fingerpost." + key.section() + "." + key.name(), key.property());
      assertEquals(("FINGERPOST_" + key.section() + "_" + key.name()).toUpperCase(java.util.Locale.ROOT),
          key.envName());
    }
  }

  static String readBy(Key key) {
    return key.roles().stream().sorted().map(Key.Role::label).collect(Collectors.joining(", "));
  }

  /** The row the catalogue expects (the meaning is the catalogue's one line; the doc may say more). */
  static String expected(Key key) {
    return "| `" + key.section() + "` | `" + key.name() + "` | "
        + (key.defaultValue() == null ? "unset" : "`" + key.defaultValue() + "`") + " | " + key.unit() + " | "
        + readBy(key) + " | " + key.doc() + " |";
  }

  private static String unquote(String cell) {
    String c = cell.trim();
    return c.startsWith("`") && c.endsWith("`") ? c.substring(1, c.length() - 1) : c;
  }
}
