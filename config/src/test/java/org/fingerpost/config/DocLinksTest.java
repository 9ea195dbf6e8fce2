package org.fingerpost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/*.md reaches a file that exists and, with a {@code #fragment},
 * a heading of it, by the anchors GitHub makes: lower case, spaces to hyphens, every other character
 * but letters, digits, {@code -} and {@code _} dropped (an en dash in a heading's time range too), a
 * repeated heading's anchor suffixed {@code -1}, {@code -2}, ...
 */
class DocLinksTest {
  /** The module runs its tests in {@code config/}; the repository's root is its parent. */
  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]*)(?:#([^)\\s]+))?\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");

  @Test
  void everyRelativeLinkReachesItsFileAndHeading() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path doc : docs) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String file = m.group(1);
        if (file.contains("://") || file.startsWith("mailto:")) {
          continue;
        }
        Path target = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
          broken.add(ROOT.relativize(doc) + ": no file " + file);
        } else if (m.group(2) != null && target.toString().endsWith(".md") && !anchors(target).contains(m.group(2))) {
          broken.add(ROOT.relativize(doc) + ": no heading #" + m.group(2) + " in " + ROOT.relativize(target));
        }
      }
    }
    assertEquals("", String.join("\n", broken));
  }

  @Test
  void anchorsAreGitHubs() {
    assertEquals("the-writer-alone-issue-12-2026-12-03-07200840-utc", slug("The writer alone (issue 12, 2026-12-03 07:20–08:40 UTC)"));
    assertEquals("webhook-ingestion-benchwebhooks", slug("Webhook ingestion (`bench/webhooks`)"));
  }

  /** The anchors of {@code doc}'s headings, outside fenced code blocks. */
  static Set<String> anchors(Path doc) throws IOException {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(doc)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher h = HEADING.matcher(line);
      if (!fenced && h.matches()) {
        String s = slug(h.group(1));
        int n = seen.merge(s, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? s : s + "-" + n);
      }
    }
    return anchors;
  }

  static String slug(String heading) {
    StringBuilder s = new StringBuilder();
    heading.strip().toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
      if (c == ' ') {
        s.append('-');
      } else if (c == '-' || c == '_' || Character.isLetterOrDigit(c)) {
        s.appendCodePoint(c);
      } else {
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK) {
          s.appendCodePoint(c);
        }
      }
    });
    return s.toString();
  }
}
