package io.backstream.trainer.service;

import java.util.List;

/** The body of every error the API answers: one message per problem, each naming what is wrong. */
public record ErrorResponse(List<String> errors) {}
