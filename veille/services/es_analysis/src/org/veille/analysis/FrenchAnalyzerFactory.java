/*
 * The "french" analyzer for nodes without the analysis-common module.
 * Standard tokenizer, elision (l', d', qu'...), lowercase, ASCII folding, French stop words
 * (accented and folded forms), French light stemming: "L'opérateur a des pannes" -> oper | pane.
 * Prefix and wildcard terms are normalised the same way (lowercase + folding).
 */
package org.veille.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.plugin.NamedComponent;

@NamedComponent("french")
public class FrenchAnalyzerFactory implements org.elasticsearch.plugin.analysis.AnalyzerFactory {

    @Override
    public Analyzer create() {
        return new VeilleFrenchAnalyzer();
    }

    static final class VeilleFrenchAnalyzer extends Analyzer {
        private static final CharArraySet STOP = Folding.withFoldedForms(FrenchAnalyzer.getDefaultStopSet());

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream result = new ElisionFilter(source, FrenchAnalyzer.DEFAULT_ARTICLES);
            result = new LowerCaseFilter(result);
            result = new ASCIIFoldingFilter(result);
            result = new StopFilter(result, STOP);
            result = new FrenchLightStemFilter(result);
            return new TokenStreamComponents(source, result);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new ASCIIFoldingFilter(new LowerCaseFilter(in));
        }
    }
}
