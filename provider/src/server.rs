//! The `tfplugin6.Provider` gRPC service: decodes each request
//! (`fromproto6`), hands it to the provider or the resource, and encodes
//! the answer (`toproto6`). No provider logic lives here.

use std::collections::HashMap;
use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::diagnostics::Diagnostics;
use crate::plugin::log::{Level, RpcSpan, log};
use crate::plugin::shutdown::Shutdown;
use crate::proto::tfplugin6 as proto;
use crate::proto::tfplugin6::provider_server::Provider as ProviderRpc;
use crate::provider::config::{self, process_environment};
use crate::provider::{Configured, Provider, Ready};
use crate::resource::space_connection::{
    self as resource, create, delete, import, plan, read, update, upgrade, validate,
};
use crate::{fromproto6, toproto6};

/// Serves `tfplugin6.Provider`.
pub struct ProviderService {
    provider: Arc<Provider>,
    shutdown: Shutdown,
}

impl ProviderService {
    /// Serves `provider` (fresh and unconfigured); `shutdown` is triggered
    /// by StopProvider.
    pub fn new(provider: Arc<Provider>, shutdown: Shutdown) -> Self {
        Self { provider, shutdown }
    }

    /// The configured provider, or why there is none.
    fn ready(&self) -> Result<Arc<Ready>, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        match self.provider.configured() {
            Configured::Ready(ready) => return Ok(ready),
            Configured::Unknown => diagnostics.error(
                "Provider configuration not known",
                "The provider block depends on values known only after apply; apply what it depends on first (e.g. with -target).",
                None,
            ),
            Configured::NotYet => diagnostics.error(
                "Provider not configured",
                "Terraform did not configure the provider before using it.",
                None,
            ),
        }
        Err(diagnostics)
    }
}

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(
        &self,
        _request: Request<proto::get_metadata::Request>,
    ) -> Result<Response<proto::get_metadata::Response>, Status> {
        let _span = RpcSpan::start("GetMetadata");
        Ok(Response::new(proto::get_metadata::Response {
            server_capabilities: Some(toproto6::server_capabilities()),
            diagnostics: Vec::new(),
            data_sources: Vec::new(),
            resources: vec![proto::get_metadata::ResourceMetadata {
                type_name: resource::schema::TYPE_NAME.to_owned(),
            }],
        }))
    }

    async fn get_provider_schema(
        &self,
        _request: Request<proto::get_provider_schema::Request>,
    ) -> Result<Response<proto::get_provider_schema::Response>, Status> {
        let _span = RpcSpan::start("GetProviderSchema");
        let resources = HashMap::from([(
            resource::schema::TYPE_NAME.to_owned(),
            toproto6::schema(&resource::schema::schema()),
        )]);
        Ok(Response::new(proto::get_provider_schema::Response {
            provider: Some(toproto6::schema(&crate::provider::schema::schema())),
            resource_schemas: resources,
            data_source_schemas: HashMap::new(),
            diagnostics: Vec::new(),
            provider_meta: None,
            server_capabilities: Some(toproto6::server_capabilities()),
        }))
    }

    async fn validate_provider_config(
        &self,
        request: Request<proto::validate_provider_config::Request>,
    ) -> Result<Response<proto::validate_provider_config::Response>, Status> {
        let _span = RpcSpan::start("ValidateProviderConfig");
        let diagnostics = match fromproto6::provider_config(request.get_ref().config.as_ref()) {
            Ok(config) => config::validate(&config),
            Err(diagnostics) => diagnostics,
        };
        Ok(Response::new(proto::validate_provider_config::Response {
            diagnostics: toproto6::diagnostics(diagnostics),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<proto::validate_resource_config::Request>,
    ) -> Result<Response<proto::validate_resource_config::Response>, Status> {
        let _span = RpcSpan::start("ValidateResourceConfig");
        let diagnostics = match fromproto6::validate_request(request.get_ref()) {
            Ok(request) => validate::validate(request).diagnostics,
            Err(diagnostics) => diagnostics,
        };
        Ok(Response::new(proto::validate_resource_config::Response {
            diagnostics: toproto6::diagnostics(diagnostics),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<proto::upgrade_resource_state::Request>,
    ) -> Result<Response<proto::upgrade_resource_state::Response>, Status> {
        let _span = RpcSpan::start("UpgradeResourceState");
        let request = request.into_inner();
        let ty = fromproto6::resource_type();
        let decoded = fromproto6::resource_type_name(&request.type_name)
            .and_then(|()| fromproto6::raw_state(request.raw_state.as_ref(), &ty));
        let (upgraded_state, diagnostics) = match decoded {
            Ok(state) => {
                let mut response = upgrade::upgrade(upgrade::UpgradeRequest {
                    version: request.version,
                    state,
                });
                let value =
                    toproto6::dynamic_value(&response.state, &ty, &mut response.diagnostics);
                (value, response.diagnostics)
            }
            Err(diagnostics) => (None, diagnostics),
        };
        Ok(Response::new(proto::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: toproto6::diagnostics(diagnostics),
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<proto::get_resource_identity_schemas::Request>,
    ) -> Result<Response<proto::get_resource_identity_schemas::Response>, Status> {
        let _span = RpcSpan::start("GetResourceIdentitySchemas");
        Ok(Response::new(
            proto::get_resource_identity_schemas::Response {
                identity_schemas: HashMap::new(),
                diagnostics: Vec::new(),
            },
        ))
    }

    async fn configure_provider(
        &self,
        request: Request<proto::configure_provider::Request>,
    ) -> Result<Response<proto::configure_provider::Response>, Status> {
        let _span = RpcSpan::start("ConfigureProvider");
        let diagnostics = match fromproto6::provider_config(request.get_ref().config.as_ref()) {
            Ok(config) if !config.is_wholly_known() => {
                self.provider.configure(Configured::Unknown);
                Diagnostics::default()
            }
            Ok(config) => match config::parse(&config, &process_environment) {
                Ok(config) => {
                    self.provider
                        .configure(Configured::Ready(Arc::new(Ready::new(config))));
                    Diagnostics::default()
                }
                Err(diagnostics) => diagnostics,
            },
            Err(diagnostics) => diagnostics,
        };
        Ok(Response::new(proto::configure_provider::Response {
            diagnostics: toproto6::diagnostics(diagnostics),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<proto::read_resource::Request>,
    ) -> Result<Response<proto::read_resource::Response>, Status> {
        let _span = RpcSpan::start("ReadResource");
        let request = request.into_inner();
        let (read, ready) =
            match fromproto6::read_request(&request).and_then(|read| Ok((read, self.ready()?))) {
                Ok(decoded) => decoded,
                Err(diagnostics) => {
                    // The state stays as it was, with the reason.
                    return Ok(Response::new(proto::read_resource::Response {
                        new_state: request.current_state,
                        diagnostics: toproto6::diagnostics(diagnostics),
                        ..Default::default()
                    }));
                }
            };
        let response = read::read(read, &ready).await;
        Ok(Response::new(toproto6::read_response(
            response,
            request.private,
        )))
    }

    async fn plan_resource_change(
        &self,
        request: Request<proto::plan_resource_change::Request>,
    ) -> Result<Response<proto::plan_resource_change::Response>, Status> {
        let _span = RpcSpan::start("PlanResourceChange");
        let request = request.into_inner();
        let plan_request = match fromproto6::plan_request(&request) {
            Ok(plan_request) => plan_request,
            Err(diagnostics) => {
                return Ok(Response::new(proto::plan_resource_change::Response {
                    diagnostics: toproto6::diagnostics(diagnostics),
                    ..Default::default()
                }));
            }
        };
        let (organization, registry) = match self.provider.configured() {
            Configured::Ready(ready) => (
                validate::Known::Value(ready.config.organization.clone()),
                ready.config.registry_settings(),
            ),
            Configured::Unknown | Configured::NotYet => {
                (validate::Known::Unknown, config::Registry::default())
            }
        };
        let response = plan::plan(plan_request, &organization, &registry);
        Ok(Response::new(toproto6::plan_response(
            response,
            request.prior_private,
        )))
    }

    async fn apply_resource_change(
        &self,
        request: Request<proto::apply_resource_change::Request>,
    ) -> Result<Response<proto::apply_resource_change::Response>, Status> {
        let _span = RpcSpan::start("ApplyResourceChange");
        let request = request.into_inner();
        let applied = match (fromproto6::apply_request(&request), self.ready()) {
            (Ok(apply), Ok(ready)) => Ok(if apply.prior_state.is_null() {
                create::create(apply, &ready).await
            } else if apply.planned_state.is_null() {
                delete::delete(apply, &ready).await
            } else {
                update::update(apply, &ready).await
            }),
            (Err(diagnostics), _) | (_, Err(diagnostics)) => Err(diagnostics),
        };
        let response = match applied {
            Ok(response) => toproto6::apply_response(response, request.planned_private),
            Err(diagnostics) => proto::apply_resource_change::Response {
                new_state: request.prior_state,
                diagnostics: toproto6::diagnostics(diagnostics),
                ..Default::default()
            },
        };
        Ok(Response::new(response))
    }

    async fn import_resource_state(
        &self,
        request: Request<proto::import_resource_state::Request>,
    ) -> Result<Response<proto::import_resource_state::Response>, Status> {
        let _span = RpcSpan::start("ImportResourceState");
        let request = request.into_inner();
        let response =
            match fromproto6::resource_type_name(&request.type_name).and_then(|()| self.ready()) {
                Ok(ready) => toproto6::import_response(
                    import::import(import::ImportRequest { id: request.id }, &ready).await,
                ),
                Err(diagnostics) => proto::import_resource_state::Response {
                    diagnostics: toproto6::diagnostics(diagnostics),
                    ..Default::default()
                },
            };
        Ok(Response::new(response))
    }

    async fn stop_provider(
        &self,
        _request: Request<proto::stop_provider::Request>,
    ) -> Result<Response<proto::stop_provider::Response>, Status> {
        log(
            Level::Debug,
            "StopProvider: finishing calls in flight, then stopping",
        );
        self.shutdown.trigger();
        Ok(Response::new(proto::stop_provider::Response {
            error: String::new(),
        }))
    }
}
