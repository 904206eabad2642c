package io.pgha.core.ha;

import java.util.Objects;

/** The outcome of one cycle: the action and why, as one log line. */
public record Decision(Action action, String why) {
    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(why, "why");
    }

    public static Decision of(Action action, String why) {
        return new Decision(action, why);
    }

    public static Decision noop(String reason) {
        return new Decision(new Action.Noop(reason), reason);
    }

    /** One line: what and why. */
    public String describe() {
        String what = action.describe();
        return what.equals(why) ? what : what + " (" + why + ")";
    }
}
