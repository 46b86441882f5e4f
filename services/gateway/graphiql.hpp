#pragma once

#include <map>
#include <string>

#include <surplus/http/response.hpp>

namespace surplus::gateway {

// GraphiQL for browsers, served from files in the repository's npm packages (graphiql 3
// and React 18 UMD builds, copied into the build tree), so it works without a network.
class GraphiQL {
 public:
  // Reads the files from `assets_dir`; missing files are reported by page().
  explicit GraphiQL(const std::string& assets_dir);

  // The HTML page that loads the assets from /graphiql/.
  http::Response page() const;
  // GET /graphiql/{name}: one of the files, or 404.
  http::Response asset(const std::string& name) const;

 private:
  std::string assets_dir_;
  std::map<std::string, std::pair<std::string, std::string>> files_;  // name: type, content
  std::string missing_;
};

}  // namespace surplus::gateway
