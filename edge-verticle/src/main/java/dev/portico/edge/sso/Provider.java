package dev.portico.edge.sso;

import dev.portico.contract.SsoProviderRecord;

/** An SSO provider ready to use: its record, its opened client secret and its discovered endpoints. */
record Provider(SsoProviderRecord record, String clientSecret, Discovery endpoints) {

  String id() {
    return record.id();
  }

  String issuer() {
    return record.issuer();
  }

  String clientId() {
    return record.clientId();
  }
}
