package org.fingerpost.webapp.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** Jersey's Jackson mapper: nulls left out. A class, since Jersey ignores a lambda resolver. */
@Provider
public final class JsonProvider implements ContextResolver<ObjectMapper> {
  private final ObjectMapper mapper = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return mapper;
  }
}
