package dev.portico.contract;

/** A site's JSON is not valid; {@link #field()} names the field at fault, if one is. */
public final class InvalidSiteException extends IllegalArgumentException {

  private final String field;

  public InvalidSiteException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
