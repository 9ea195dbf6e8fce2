package org.fingerpost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** zuul.conf's syntax as Python's ConfigParser reads it (moved from packaging's ZuulConfTest). */
class IniFileTest {
  @Test
  void iniSyntaxFollowsPythonConfigParser() {
    IniFile ini = IniFile.parse(List.of(
        "[DEFAULT]", "base = /srv", "[a]", "Key1 = v1 ", "key2: x = y", "  continued", "; comment",
        "# comment", "path = %(base)s/x", "pct = 100%%"));
    Map<String, String> a = ini.section("a");
    assertEquals("v1", a.get("key1"), "keys lower-cased, values stripped");
    assertEquals("x = y\ncontinued", a.get("key2"), "split at the first delimiter; continuation line");
    assertEquals("/srv/x", a.get("path"));
    assertEquals("100%", a.get("pct"));
    assertEquals("/srv", a.get("base"), "DEFAULT keys are visible in every section");
    assertEquals(Map.of(), ini.section("missing"));
  }}
