package io.pgha.store.api.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON in and out as grpc-gateway v1 with {@code OrigName: true} and {@code EmitDefaults: false}: proto field names,
 * defaults omitted, unknown request fields ignored. A streaming request body is a sequence of JSON objects.
 */
final class JsonBodies {
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private JsonBodies() {
    }

    static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // only Any fields with unknown types fail to print; etcd's messages have none
            throw new IllegalStateException(e);
        }
    }

    /** The first JSON value of a unary body; an empty body is the empty message (grpc-gateway ignores EOF). */
    static Message parseFirst(String body, Message prototype) throws InvalidProtocolBufferException {
        List<String> objects = split(body);
        return objects.isEmpty() ? prototype : parse(objects.get(0), prototype);
    }

    /** Every JSON value of a client-streaming body, in order. */
    static List<Message> parseAll(String body, Message prototype) throws InvalidProtocolBufferException {
        List<Message> messages = new ArrayList<>();
        for (String json : split(body)) {
            messages.add(parse(json, prototype));
        }
        return messages;
    }

    private static Message parse(String json, Message prototype) throws InvalidProtocolBufferException {
        Message.Builder builder = prototype.newBuilderForType();
        try {
            PARSER.merge(json, builder);
        } catch (RuntimeException e) {
            // gson reports some syntax errors as unchecked exceptions
            throw new InvalidProtocolBufferException(e.getMessage());
        }
        return builder.build();
    }

    /**
     * Splits concatenated top-level JSON values ({@code {..}{..}} or one per line). Anything that is not a
     * balanced object is returned as is, for the strict parser to reject with its message.
     */
    static List<String> split(String body) {
        List<String> values = new ArrayList<>();
        int i = 0;
        int n = body.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            if (body.charAt(i) != '{') {
                values.add(body.substring(i));
                break;
            }
            int end = objectEnd(body, i);
            if (end < 0) {
                values.add(body.substring(i));
                break;
            }
            values.add(body.substring(i, end));
            i = end;
        }
        return values;
    }

    /** The index after the object that starts at {@code start}, or -1 if it never closes. */
    private static int objectEnd(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return -1;
    }
}
