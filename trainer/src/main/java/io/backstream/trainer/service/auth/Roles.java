package io.backstream.trainer.service.auth;

import java.util.Set;

/** The control API's roles: an API token carries one, a JWT carries them in its {@code groups} claim. */
public final class Roles {
    /** May create, pause, resume and stop runs (and read). */
    public static final String OPERATOR = "operator";
    /** Read-only: the GETs, which are open anyway; a viewer on a mutating call gets 403. */
    public static final String VIEWER = "viewer";

    public static final Set<String> ALL = Set.of(OPERATOR, VIEWER);

    private Roles() {}
}
