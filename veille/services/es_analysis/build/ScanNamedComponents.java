/*
 * Build helper (not part of the plugin): writes named_components.json for the classes on the
 * class path with Elasticsearch's own scanner, as `elasticsearch-plugin install` would, but
 * without its x-content runtime (JSON written here: names and class names only).
 * Usage: java -cp <scanner, asm, plugin api jars, plugin classes> ScanNamedComponents.java OUT
 */
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.elasticsearch.plugin.scanner.ClassReaders;
import org.elasticsearch.plugin.scanner.NamedComponentScanner;

public class ScanNamedComponents {
    public static void main(String[] args) throws Exception {
        Map<String, Map<String, String>> found = NamedComponentScanner.scanForNamedClasses(ClassReaders.ofClassPath());
        StringBuilder json = new StringBuilder("{\n");
        String sep = "";
        for (Map.Entry<String, Map<String, String>> extensible : new TreeMap<>(found).entrySet()) {
            json.append(sep).append("  ").append(quote(extensible.getKey())).append(": {");
            String inner = "";
            for (Map.Entry<String, String> named : new TreeMap<>(extensible.getValue()).entrySet()) {
                json.append(inner).append("\n    ").append(quote(named.getKey())).append(": ").append(quote(named.getValue()));
                inner = ",";
            }
            json.append("\n  }");
            sep = ",\n";
        }
        json.append("\n}\n");
        Files.writeString(Path.of(args[0]), json.toString(), StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        // Names and class names only: no character needs escaping beyond these two.
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
