package org.replyensemble.testing.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Invalid variants of a valid JSON body, each one a body the service must refuse: every string
 * field with characters no text field takes (NUL and other controls, lone surrogates,
 * noncharacters) or far too long; every field with a JSON type it does not have; and text that
 * is not JSON at all or not JSON of the expected shape.
 */
final class JsonMutations {

    /** Everything past ASCII as \\uXXXX escapes: a lone surrogate must reach the server as written, not as '?'. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** Characters refused in every text field of the ensemble (see ControlCharacters in service-support). */
    static final Map<String, String> REFUSED_TEXT = Map.ofEntries(
            Map.entry("NUL", "a\u0000b"),
            Map.entry("bell", "a\u0007b"),
            Map.entry("escape sequence", "\u001B[2J\u001B[31mred"),
            Map.entry("vertical tab", "a\u000Bb"),
            Map.entry("DEL", "a\u007Fb"),
            Map.entry("C1 next line", "a\u0085b"),
            Map.entry("C1 from Windows-1252", "\u0093quoted\u0094"),
            Map.entry("lone high surrogate", "a\uD800b"),
            Map.entry("lone low surrogate", "a\uDC00b"),
            Map.entry("reversed surrogate pair", "\uDE00\uD83D"),
            Map.entry("noncharacter U+FFFF", "a\uFFFFb"),
            Map.entry("noncharacter U+FDD0", "a\uFDD0b"),
            Map.entry("astral noncharacter", "a\uDBFF\uDFFFb"));

    /** Characters that make a string refused wherever one of them appears, for random strings. */
    private static final int[] REFUSED_CODE_POINTS = { 0x00, 0x01, 0x08, 0x0B, 0x0C, 0x0E, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F,
            0xFFFE, 0xFFFF, 0xFDD0, 0x10FFFF };
    /** Harmless but unusual characters around them: combining marks, RTL, emoji with joiners, CJK, BOM. */
    private static final int[] ODD_CODE_POINTS = { 'a', ' ', '"', '\\', '<', '>', '&', '\'', '%', 0x0301, 0x05D0, 0x0627,
            0x200D, 0x1F469, 0x1F52C, 0x4E2D, 0xFEFF, 0x00A0, 0x3000, 0xFFFD, 0x1D11E };

    private JsonMutations() {
    }

    record Mutation(String name, String body) {
    }

    static List<Mutation> of(String validBody, Random random) {
        JsonNode valid = JSON.readTree(validBody);
        List<Mutation> mutations = new ArrayList<>();
        leaves(valid, "$", (path, node) -> {
            if (node.isString()) {
                REFUSED_TEXT.forEach((what, text) -> mutations.add(new Mutation(path + " with " + what,
                        replaced(valid, path, JsonNodeFactory.instance.stringNode(node.asString() + text)))));
                mutations.add(new Mutation(path + " 100,001 characters long",
                        replaced(valid, path, JsonNodeFactory.instance.stringNode("x".repeat(100_001)))));
                for (int i = 0; i < 3; i++) {
                    String junk = randomRefusedText(random);
                    mutations.add(new Mutation(path + " with random text " + escape(junk),
                            replaced(valid, path, JsonNodeFactory.instance.stringNode(junk))));
                }
            }
            for (Map.Entry<String, JsonNode> wrong : wrongTypesFor(node).entrySet()) {
                mutations.add(new Mutation(path + " as " + wrong.getKey(), replaced(valid, path, wrong.getValue())));
            }
        });
        // Text JSON can spell but Java cannot hold faithfully, written as escapes (a writer would refuse it).
        leaves(valid, "$", (path, node) -> {
            if (node.isString()) {
                String marker = "\"@@" + path + "@@\"";
                String template = replaced(valid, path, JsonNodeFactory.instance.stringNode("@@" + path + "@@"));
                mutations.add(new Mutation(path + " with an escaped lone surrogate", template.replace(marker, "\"x\\ud800y\"")));
                mutations.add(new Mutation(path + " with an escaped NUL", template.replace(marker, "\"x\\u0000y\"")));
                mutations.add(new Mutation(path + " with a raw control character", template.replace(marker, "\"x\u0001y\"")));
            }
        });
        String compact = valid.toString();
        for (int cut : new int[] { 1, compact.length() / 2, compact.length() - 1 }) {
            mutations.add(new Mutation("cut after " + cut + " characters", compact.substring(0, cut)));
        }
        mutations.add(new Mutation("empty body", ""));
        mutations.add(new Mutation("whitespace only", " \n\t "));
        mutations.add(new Mutation("JSON null", "null"));
        mutations.add(new Mutation("an array", "[" + compact + "]"));
        mutations.add(new Mutation("a string", "\"" + compact.replace("\"", "'") + "\""));
        mutations.add(new Mutation("a number", "42"));
        mutations.add(new Mutation("trailing garbage", compact + " trailing"));
        mutations.add(new Mutation("two documents", compact + compact));
        mutations.add(new Mutation("trailing comma", compact.substring(0, compact.length() - 1) + ",}"));
        mutations.add(new Mutation("single quotes", compact.replace('"', '\'')));
        mutations.add(new Mutation("a comment", "/* hi */" + compact));
        mutations.add(new Mutation("NaN", "{\"x\": NaN}"));
        mutations.add(new Mutation("duplicate keys", duplicated(valid)));
        mutations.add(new Mutation("nested 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000)));
        mutations.add(new Mutation("a 5,000-digit number", "{\"n\": " + "9".repeat(5_000) + "}"));
        mutations.add(new Mutation("a 1e999999999 number", "{\"n\": 1e999999999}"));
        return mutations;
    }

    /** Bytes that are not UTF-8 or not JSON at all. */
    static List<Map.Entry<String, byte[]>> invalidBytes(String validBody, Random random) {
        byte[] junk = new byte[64 + random.nextInt(200)];
        random.nextBytes(junk);
        String compact = JSON.readTree(validBody).toString();
        int quote = compact.indexOf("\":\"") + 3;
        byte[] head = compact.substring(0, quote).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = compact.substring(quote).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return List.of(
                Map.entry("random bytes", junk),
                Map.entry("invalid UTF-8 in a string", RawHttp.concat(RawHttp.concat(head, new byte[] { (byte) 0xC3, 0x28 }), tail)),
                Map.entry("overlong UTF-8 NUL in a string", RawHttp.concat(RawHttp.concat(head, new byte[] { (byte) 0xC0, (byte) 0x80 }), tail)),
                Map.entry("UTF-8 encoded surrogate in a string",
                        RawHttp.concat(RawHttp.concat(head, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }), tail)));
    }

    private static String randomRefusedText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(12);
        int refusedAt = random.nextInt(length);
        for (int i = 0; i < length; i++) {
            int[] pool = i == refusedAt ? REFUSED_CODE_POINTS : ODD_CODE_POINTS;
            text.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        return text.toString();
    }

    private static Map<String, JsonNode> wrongTypesFor(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Map<String, JsonNode> wrong = new java.util.LinkedHashMap<>();
        if (!node.isNumber()) {
            wrong.put("a number", nodes.numberNode(5));
            wrong.put("a fraction", nodes.numberNode(1.5));
        }
        if (!node.isBoolean()) {
            wrong.put("a boolean", nodes.booleanNode(true));
        }
        if (!node.isString()) {
            wrong.put("a string", nodes.stringNode(node.isBoolean() ? String.valueOf(node.asBoolean()) : "text"));
        }
        if (!node.isArray()) {
            ArrayNode array = nodes.arrayNode();
            array.add(node.deepCopy());
            wrong.put("an array", array);
        }
        if (!node.isObject()) {
            wrong.put("an object", nodes.objectNode().put("value", node.toString()));
        }
        return wrong;
    }

    private interface LeafVisitor {
        void visit(String path, JsonNode node);
    }

    /** Every field of every object, depth first (objects themselves included, so they get wrong types too). */
    private static void leaves(JsonNode node, String path, LeafVisitor visitor) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String fieldPath = path + "." + field.getKey();
                visitor.visit(fieldPath, field.getValue());
                leaves(field.getValue(), fieldPath, visitor);
            }
        }
    }

    private static String replaced(JsonNode valid, String path, JsonNode value) {
        JsonNode copy = valid.deepCopy();
        String[] names = path.substring(2).split("\\.");
        JsonNode parent = copy;
        for (int i = 0; i < names.length - 1; i++) {
            parent = parent.get(names[i]);
        }
        ((ObjectNode) parent).set(names[names.length - 1], value);
        return JSON.writeValueAsString(copy);
    }

    private static String duplicated(JsonNode valid) {
        Map.Entry<String, JsonNode> first = valid.properties().iterator().next();
        String compact = valid.toString();
        return "{\"" + first.getKey() + "\":" + wrongTypesFor(first.getValue()).values().iterator().next() + "," + compact.substring(1);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || (c >= 0x7F && c <= 0x9F) || c > 0xFFFD || Character.isSurrogate((char) c)
                ? String.format("\\u%04X", c) : Character.toString(c)));
        return out.toString();
    }
}
