#include "graphiql.hpp"

#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

namespace surplus::gateway {
namespace {

// The file names of the npm packages that CMake copies into the assets folder.
const std::pair<const char*, const char*> kAssets[] = {
    {"react.production.min.js", "text/javascript; charset=utf-8"},
    {"react-dom.production.min.js", "text/javascript; charset=utf-8"},
    {"graphiql.min.js", "text/javascript; charset=utf-8"},
    {"graphiql.min.css", "text/css; charset=utf-8"},
};

constexpr const char* kStartScript = R"(
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
// Subscriptions go over a WebSocket to the same path (graphql-transport-ws); GraphiQL sends
// the Headers editor's content as the connection_init payload.
const fetcher = GraphiQL.createFetcher({
  url: window.location.pathname,
  subscriptionUrl: (window.location.protocol === 'https:' ? 'wss://' : 'ws://') +
    window.location.host + window.location.pathname,
});
root.render(React.createElement(GraphiQL, {
  fetcher,
  defaultEditorToolsVisibility: true,
  defaultQuery: '# Surplus GraphQL API. Log in with the login mutation, then put\n' +
    '# {"Authorization": "Bearer <accessToken>"} under Headers.\n' +
    '{\n  offers(near: {latitude: 52.52, longitude: 13.405}, radiusKm: 5, first: 5) {\n' +
    '    edges { node { title price { amount currency } restaurant { name } distanceKm } }\n' +
    '  }\n}\n',
}));
)";

constexpr const char* kPage = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Surplus GraphQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/start.js"></script>
</body>
</html>
)";

}  // namespace

GraphiQL::GraphiQL(const std::string& assets_dir) : assets_dir_(assets_dir) {
  for (const auto& [name, type] : kAssets) {
    std::ifstream file(assets_dir + "/" + name, std::ios::binary);
    if (!file) {
      missing_ += (missing_.empty() ? "" : ", ") + std::string(name);
      continue;
    }
    std::stringstream content;
    content << file.rdbuf();
    files_[name] = {type, content.str()};
  }
  files_["start.js"] = {"text/javascript; charset=utf-8", kStartScript};
  if (!missing_.empty()) {
    spdlog::warn(
        "GraphiQL is unavailable: {} missing in {} (GRAPHIQL_ASSETS_DIR); run npm ci "
        "at the repository root and rebuild",
        missing_, assets_dir);
  }
}

http::Response GraphiQL::page() const {
  if (!missing_.empty()) {
    return http::Response::text(
        "GraphiQL is not installed: " + missing_ + " missing in " + assets_dir_ +
            ". Run npm ci at the repository root and rebuild, or set GRAPHIQL_ASSETS_DIR.\n",
        503);
  }
  http::Response response = http::Response::text(kPage, 200, "text/html; charset=utf-8");
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

http::Response GraphiQL::asset(const std::string& name) const {
  const auto found = files_.find(name);
  if (found == files_.end()) {
    return http::Response::problem(core::Error::not_found("GraphiQL file " + name),
                                   "/graphiql/" + name);
  }
  http::Response response = http::Response::text(found->second.second, 200, found->second.first);
  response.headers.set("Cache-Control", "public, max-age=3600");
  return response;
}

}  // namespace surplus::gateway
