/* ASCII folding of word lists, so stop words still match after the folding filter. */
package org.veille.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;

final class Folding {
    private Folding() {}

    static String fold(String word) {
        char[] input = word.toCharArray();
        char[] output = new char[input.length * 4];
        int length = ASCIIFoldingFilter.foldToASCII(input, 0, output, 0, input.length);
        return new String(output, 0, length);
    }

    static CharArraySet withFoldedForms(CharArraySet words) {
        CharArraySet out = new CharArraySet(words.size() * 2, false);
        for (Object word : words) {
            String text = word instanceof char[] chars ? new String(chars) : word.toString();
            out.add(text);
            out.add(fold(text));
        }
        return CharArraySet.unmodifiableSet(out);
    }
}
