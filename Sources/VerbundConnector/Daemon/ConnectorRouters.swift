import VerbundTransport

/// The routers the connector serves, assembled from its modules: the DSP router (every route behind the DSP
/// guard, `DSPMount`, plus the version endpoint at the root and the guarded fallback) and the management router
/// (behind the bearer token, `ManagementMount`). Building them is the first step of `Connector.start`, before any
/// listener exists, so they can also be called in process without sockets.
package struct ConnectorRouters: Sendable {
    package let dsp: Router
    package let management: Router
    /// The public listener's routes (`publicListen`): the transparency page and the modules' public routes, no login.
    package let publicRouter: Router

    /// `modules` as `Connector.start` runs them: the core first (its root routes are found by type), then the rest.
    package init(context: ConnectorContext, modules: [any ConnectorModule], token: ManagementToken) {
        var dspRouter = Router()
        var core = Router()
        if let coreModule = modules.lazy.compactMap({ $0 as? CoreModule }).first {
            coreModule.registerRootRoutes(into: &core, context: context)
        }
        // DSP 2025-1 §4.3: the version endpoint is unauthenticated; opened to certificate-less clients only on request.
        DSPMount.mountOpen(core, under: "", into: &dspRouter, context: context,
                           openToAnonymous: context.configuration.opensVersionEndpoint ? [CoreModule.versionPath] : [])
        for module in modules {
            var routes = DSPRoutes()
            module.registerDSPRoutes(into: &routes, context: context)
            DSPMount.mount(routes, under: context.dspBasePath, into: &dspRouter, context: context)
        }
        DSPMount.addFallback(into: &dspRouter, context: context)
        var managementRoutes = Router()
        for module in modules { module.registerManagementRoutes(into: &managementRoutes, context: context) }
        let authentication = ManagementAuthentication(token: token, accounts: AccountStore(database: context.database))
        AccountManagementRoutes(store: authentication.accounts, clock: context.clock).register(into: &managementRoutes)
        // The console (docs/console.md) calls the API's handlers in process, behind its own session check.
        // One failure limit for the listener: API and console logins count against the same bound.
        let failures = AuthenticationFailures()
        ConsoleRoutes(api: managementRoutes, authentication: authentication, context: context, failures: failures)
            .register(into: &managementRoutes)
        dsp = dspRouter
        management = ManagementMount.mount(managementRoutes, token: token, context: context, failures: failures,
                                           authentication: authentication)
        var publicRoutes = Router()
        TransparencyRoutes(context: context, modules: modules).register(into: &publicRoutes)
        for module in modules { module.registerPublicRoutes(into: &publicRoutes, context: context) }
        // GET only (HEAD follows GET): whatever a module registers otherwise is not served to the public.
        var readOnly = Router()
        for route in publicRoutes.routes where route.method == .get {
            readOnly.add(.get, route.pattern.description, route.handler)
        }
        publicRouter = readOnly
    }
}
