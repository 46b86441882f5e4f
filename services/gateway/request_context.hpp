#pragma once

#include <memory>
#include <string>
#include <vector>

#include <surplus/graphql/data_loader.hpp>
#include <surplus/graphql/resolver.hpp>

#include "downstream.hpp"
#include "field_error.hpp"

namespace surplus::gateway {

class ChannelStream;
class NotificationsLink;

using Loader = graphql::DataLoader<std::string>;

// The state of one GraphQL request: who calls, its deadline, the extensions of its field
// errors, and the loaders that batch nested lookups. The executor runs every resolver of a
// step, across all items of a list, before a loader's batch starts, so a page of 50 offers
// loads its restaurants in one call. Lives as long as the execution; the loaders are used
// from the thread that executes it.
class RequestContext : public std::enable_shared_from_this<RequestContext> {
 public:
  // `completions`, when given, is run by the thread that executes the request, and the
  // request's downstream calls complete there (see CompletionQueue).
  RequestContext(Downstream& downstream, CallerContext caller,
                 std::shared_ptr<CompletionQueue> completions = nullptr);
  RequestContext(const RequestContext&) = delete;
  RequestContext& operator=(const RequestContext&) = delete;

  Downstream& downstream() { return downstream_; }
  const CallerContext& caller() const { return caller_; }
  ErrorExtensions& errors() { return errors_; }

  // Sends `call` and waits for it, running the request's completions meanwhile.
  Json call(const ServiceCall& call);
  graphql::Future start(const ServiceCall& call) {
    return downstream_.start(caller_, call, completions_);
  }

  // Restaurants by id, from the orders service's internal batch endpoint.
  Loader& restaurants() { return restaurants_; }
  // Products by id, inactive ones included, from the orders service.
  Loader& products() { return products_; }
  // Offers by id as the caller may see them, from the offers service.
  Loader& offers() { return offers_; }
  // Couriers by id as the caller may see them (one call per courier, sent concurrently).
  Loader& couriers() { return couriers_; }
  // Orders by id as the caller may see them (one call per order, sent concurrently).
  Loader& orders() { return orders_; }

  // The caller's connection to the notifications service, which subscription fields read;
  // null for requests over HTTP.
  const std::shared_ptr<NotificationsLink>& notifications() const { return notifications_; }
  void set_notifications(std::shared_ptr<NotificationsLink> link) {
    notifications_ = std::move(link);
  }
  // The source stream that the subscription root field opened, which the transport consumes.
  const std::shared_ptr<ChannelStream>& source() const { return source_; }
  void set_source(std::shared_ptr<ChannelStream> source) { source_ = std::move(source); }

  // The value of `key`, or null when it does not exist. When a batch fails, every field that
  // requested a key of it gets the batch's error.
  static graphql::FieldResult load(Loader& loader, const std::string& key);
  // The values of `keys` that exist, in order.
  static graphql::FieldResult load_many(Loader& loader, const std::vector<std::string>& keys);

 private:
  Downstream& downstream_;
  CallerContext caller_;
  std::shared_ptr<CompletionQueue> completions_;
  ErrorExtensions errors_;
  Loader restaurants_;
  Loader products_;
  Loader offers_;
  Loader couriers_;
  Loader orders_;
  std::shared_ptr<NotificationsLink> notifications_;
  std::shared_ptr<ChannelStream> source_;
};

// The context of the request that `info` belongs to.
RequestContext& context_of(const graphql::ResolveInfo& info);

}  // namespace surplus::gateway
