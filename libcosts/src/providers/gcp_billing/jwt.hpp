// Private: the signed JWT a Google service account exchanges for an access token (RS256).
#pragma once

#include <string>

namespace costs::detail {

/// base64url without padding, as JWTs want it.
std::string base64url(const std::string& bytes);

/// header.claims.signature, signed with the PEM private key. Returns "" when the key is not a
/// usable RSA private key (the caller says so without echoing the key).
std::string sign_jwt_rs256(const std::string& header_json, const std::string& claims_json,
                           const std::string& private_key_pem);

}  // namespace costs::detail
