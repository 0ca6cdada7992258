package org.replyensemble.events;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What in a topic's current JSON Schema would break someone who relies on a released one.
 *
 * <p>Hand-written: no library on Maven Central compares two JSON Schemas for compatibility in a
 * way that fits (schema registries do it for Avro and Protobuf; for JSON Schema their checkers
 * come with a registry client and its own rules). The rules are the compatibility policy of the
 * README, and every rule has a test in SchemaCompatibilityTest.
 *
 * <p>A topic keeps every record ever written to it, and consumers read both directions: old
 * consumers read new events, new consumers replay old ones. So within a topic version:
 * <ul>
 * <li>allowed: a new optional property; a new value of the envelope's {@code type} (a new event
 * type: tolerant readers skip types they do not know); any change of annotations (title,
 * description, examples...);</li>
 * <li>breaking: a removed property; a changed {@code type}, {@code format} or {@code const}; an
 * enum value removed (an event type removed included) or added anywhere but the envelope's
 * {@code type}; a new required property, or one no longer required; a change of any other
 * assertion (minimum, maxLength, pattern, additionalProperties...).</li>
 * </ul>
 * Local {@code $ref}s are followed; a keyword this class does not understand is compared as a
 * whole, so an unforeseen change is reported rather than missed.
 */
final class SchemaCompatibility {

    private static final Set<String> ANNOTATIONS = Set.of(
            "title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly");
    private static final Set<String> COMPARED_BY_RULE = Set.of(
            "properties", "required", "enum", "type", "format", "const", "items", "$defs");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "patternProperties", "dependentSchemas");
    private static final Set<String> SUBSCHEMAS = Set.of("items", "prefixItems", "allOf", "anyOf", "oneOf", "not", "if", "then",
            "else", "additionalProperties", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems");
    private static final int MAX_DEPTH = 64;

    private SchemaCompatibility() {
    }

    /** Each breaking change, naming the field (dotted path from the event's root); empty when compatible. */
    static List<String> breakingChanges(JsonNode released, JsonNode current) {
        List<String> problems = new ArrayList<>();
        compare(released, released, current, current, "", 0, problems);
        return problems;
    }

    /** The same schema, annotations aside. */
    static boolean sameContract(JsonNode a, JsonNode b) {
        return stripAnnotations(a).equals(stripAnnotations(b));
    }

    private static void compare(JsonNode oldNode, JsonNode oldRoot, JsonNode newNode, JsonNode newRoot, String path, int depth,
            List<String> problems) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Schema nests deeper than " + MAX_DEPTH + " at " + name(path) + " (a $ref cycle?)");
        }
        JsonNode old = resolve(oldNode, oldRoot);
        JsonNode now = resolve(newNode, newRoot);

        if (!typesOf(old).equals(typesOf(now))) {
            problems.add(name(path) + ": type changed from " + shown(typesOf(old)) + " to " + shown(typesOf(now)));
        }
        changed(old, now, "format", path, problems);
        changed(old, now, "const", path, problems);
        compareEnums(old, now, path, problems);
        compareRequired(old, now, path, problems);

        JsonNode oldProperties = old.path("properties");
        JsonNode newProperties = now.path("properties");
        for (String property : oldProperties.propertyNames()) {
            if (!newProperties.has(property)) {
                problems.add(name(child(path, property)) + ": property removed");
            } else {
                compare(oldProperties.get(property), oldRoot, newProperties.get(property), newRoot, child(path, property), depth + 1,
                        problems);
            }
        }
        if (old.has("items") || now.has("items")) {
            if (old.has("items") && now.has("items")) {
                compare(old.get("items"), oldRoot, now.get("items"), newRoot, path + "[]", depth + 1, problems);
            } else {
                changed(old, now, "items", path, problems);
            }
        }
        Set<String> others = new TreeSet<>();
        old.propertyNames().forEach(others::add);
        now.propertyNames().forEach(others::add);
        others.removeAll(ANNOTATIONS);
        others.removeAll(COMPARED_BY_RULE);
        others.forEach(keyword -> changed(old, now, keyword, path, problems));
    }

    /** Follows local references; an external one stays, and is compared as written. */
    private static JsonNode resolve(JsonNode node, JsonNode root) {
        JsonNode resolved = node;
        for (int hops = 0; resolved.has("$ref") && resolved.get("$ref").asString().startsWith("#"); hops++) {
            if (hops > MAX_DEPTH) {
                throw new IllegalArgumentException("$ref cycle at " + node.get("$ref"));
            }
            JsonNode target = root.at(resolved.get("$ref").asString().substring(1));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("$ref " + resolved.get("$ref") + " points nowhere");
            }
            resolved = target;
        }
        return resolved;
    }

    private static void compareEnums(JsonNode old, JsonNode now, String path, List<String> problems) {
        if (!old.has("enum") && !now.has("enum")) {
            return;
        }
        if (!old.has("enum") || !now.has("enum")) {
            changed(old, now, "enum", path, problems);
            return;
        }
        Set<String> before = values(old.get("enum"));
        Set<String> after = values(now.get("enum"));
        boolean eventType = path.equals("type");
        for (String value : before) {
            if (!after.contains(value)) {
                problems.add(eventType ? "type: event type " + value + " removed" : name(path) + ": enum value " + value + " removed");
            }
        }
        if (!eventType) {
            for (String value : after) {
                if (!before.contains(value)) {
                    problems.add(name(path) + ": enum value " + value + " added (consumers of this version cannot know it)");
                }
            }
        }
    }

    private static void compareRequired(JsonNode old, JsonNode now, String path, List<String> problems) {
        Set<String> before = values(old.path("required"));
        Set<String> after = values(now.path("required"));
        for (String property : after) {
            if (!before.contains(property)) {
                problems.add(name(child(path, property)) + ": new required property (events already on the topic lack it)");
            }
        }
        for (String property : before) {
            if (!after.contains(property) && now.path("properties").has(property)) {
                problems.add(name(child(path, property)) + ": no longer required (consumers rely on it)");
            }
        }
    }

    private static void changed(JsonNode old, JsonNode now, String keyword, String path, List<String> problems) {
        JsonNode before = old.get(keyword);
        JsonNode after = now.get(keyword);
        if (before == null ? after != null : !before.equals(after)) {
            problems.add(name(path) + ": " + keyword + " changed from " + (before == null ? "none" : before) + " to "
                    + (after == null ? "none" : after));
        }
    }

    private static Set<String> typesOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        Set<String> types = new TreeSet<>();
        if (type != null && type.isArray()) {
            type.forEach(value -> types.add(value.asString()));
        } else if (type != null) {
            types.add(type.asString());
        }
        return types;
    }

    private static Set<String> values(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(value -> values.add(value.isString() ? value.asString() : value.toString()));
        return values;
    }

    /** A copy without annotations; only schema positions are entered, so data (enum, const) and property names stay. */
    private static JsonNode stripAnnotations(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            schema.forEach(element -> copy.add(stripAnnotations(element)));
            return copy;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (String keyword : schema.propertyNames()) {
            JsonNode value = schema.get(keyword);
            if (ANNOTATIONS.contains(keyword)) {
                continue;
            }
            if (SCHEMA_MAPS.contains(keyword) && value.isObject()) {
                ObjectNode map = JsonNodeFactory.instance.objectNode();
                value.propertyNames().forEach(name -> map.set(name, stripAnnotations(value.get(name))));
                copy.set(keyword, map);
            } else if (SUBSCHEMAS.contains(keyword)) {
                copy.set(keyword, stripAnnotations(value));
            } else {
                copy.set(keyword, value);
            }
        }
        return copy;
    }

    private static String shown(Set<String> types) {
        return types.isEmpty() ? "any" : String.join("|", types);
    }

    private static String child(String path, String property) {
        return path.isEmpty() ? property : path + "." + property;
    }

    private static String name(String path) {
        return path.isEmpty() ? "(event)" : path;
    }
}
