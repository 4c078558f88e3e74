/*
 * The "pattern_capture" token filter (settings "patterns", "preserve_original"), which the
 * .security index's e-mail analyzer needs. The node builds every component once with empty
 * settings, so the constructor accepts no patterns and create() refuses them.
 */
package org.veille.analysis;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.BooleanSetting;
import org.elasticsearch.plugin.settings.ListSetting;

@NamedComponent("pattern_capture")
public class PatternCaptureFilterFactory implements TokenFilterFactory {

    @AnalysisSettings
    public interface Settings {
        @ListSetting(path = "patterns")
        List<String> patterns();

        @BooleanSetting(path = "preserve_original", defaultValue = true)
        boolean preserveOriginal();
    }

    private final Pattern[] patterns;
    private final boolean preserveOriginal;

    @Inject
    public PatternCaptureFilterFactory(Settings settings) {
        List<String> sources = settings.patterns();
        this.patterns = sources == null ? new Pattern[0] : sources.stream().map(Pattern::compile).toArray(Pattern[]::new);
        this.preserveOriginal = settings.preserveOriginal();
    }

    @Override
    public TokenStream create(TokenStream input) {
        if (patterns.length == 0) {
            throw new IllegalArgumentException("pattern_capture needs at least one pattern in [patterns]");
        }
        return new PatternCaptureGroupTokenFilter(input, preserveOriginal, patterns);
    }
}
