"""The built-in workflows: an e-commerce shop, a tiny one for tests, and microservices."""

from __future__ import annotations

from collections.abc import Callable

from syda.workflows.definition import WorkflowDefinition

__all__ = [
    "BUILTIN_WORKFLOWS",
    "ECOMMERCE_WORKFLOW",
    "create_ecommerce_workflow",
    "create_microservices_workflow",
    "create_simple_workflow",
]

_LOGIN = "/api/login"
_PROFILE = "/api/users/{id}/profile"
_UPDATE = "/api/users/{id}/update"
_BROWSE = "/api/products"
_SEARCH = "/api/search"
_DETAILS = "/api/products/{id}"
_ADD = "/api/cart/add"
_CART = "/api/cart"
_CHECKOUT = "/api/checkout"
_PAYMENT = "/api/payment"
_CONFIRMATION = "/api/orders/{id}/confirmation"
_ORDERS = "/api/users/{id}/orders"
_ORDER = "/api/orders/{id}"
_LOGOUT = "/api/logout"


def create_ecommerce_workflow() -> WorkflowDefinition:
    """A shop: log in or land on the catalogue, browse and search, buy, track orders.

    The purchase path is login → profile → products → product → cart → checkout → payment →
    confirmation; half of the carts are abandoned, product pages lead back to the catalogue
    (window shopping), and a visit ends at logout or, without logging out, after an order is
    confirmed (an exit point: 30% of the visits end there). Sessions are 13 calls long on
    average, and 100,000 of them visit every endpoint often enough to estimate each transition
    within 0.01 (the rarest rows at four standard errors).
    """
    return WorkflowDefinition(
        name="ecommerce",
        entry_points={_LOGIN: 0.6, _BROWSE: 0.3, _SEARCH: 0.1},
        transitions={
            _LOGIN: {_PROFILE: 0.6, _BROWSE: 0.25, _SEARCH: 0.1, _ORDERS: 0.05},
            _PROFILE: {_BROWSE: 0.65, _ORDERS: 0.2, _UPDATE: 0.1, _LOGOUT: 0.05},
            _UPDATE: {_PROFILE: 1.0},
            _BROWSE: {_DETAILS: 0.6, _BROWSE: 0.15, _SEARCH: 0.15, _LOGOUT: 0.1},
            _SEARCH: {_DETAILS: 0.7, _SEARCH: 0.1, _BROWSE: 0.15, _LOGOUT: 0.05},
            _DETAILS: {_ADD: 0.4, _BROWSE: 0.35, _SEARCH: 0.15, _LOGOUT: 0.1},
            _ADD: {_CART: 0.7, _BROWSE: 0.2, _DETAILS: 0.1},
            _CART: {_CHECKOUT: 0.5, _BROWSE: 0.35, _LOGOUT: 0.15},
            _CHECKOUT: {_PAYMENT: 0.9, _CART: 0.1},
            _PAYMENT: {_CONFIRMATION: 0.9, _CHECKOUT: 0.1},
            _CONFIRMATION: {_BROWSE: 0.8, _ORDERS: 0.2},
            _ORDERS: {_ORDER: 0.9, _BROWSE: 0.1},
            _ORDER: {_BROWSE: 0.9, _LOGOUT: 0.1},
        },
        exit_points={_LOGOUT, _CONFIRMATION},
        avg_response_times={
            _LOGIN: 120,
            _PROFILE: 80,
            _BROWSE: 200,
            _SEARCH: 180,
            _DETAILS: 90,
            _PAYMENT: 450,
            _LOGOUT: 30,
        },
        exit_probability=0.3,
    )


ECOMMERCE_WORKFLOW = create_ecommerce_workflow()
"""The e-commerce workflow (a shared instance: copy it with :func:`create_ecommerce_workflow`
before changing it)."""


def create_simple_workflow() -> WorkflowDefinition:
    """Three endpoints: log in, read data (sometimes several times), log out. For tests."""
    return WorkflowDefinition(
        name="simple",
        entry_points={_LOGIN: 1.0},
        transitions={
            _LOGIN: {"/api/data": 1.0},
            "/api/data": {"/api/data": 0.4, _LOGOUT: 0.6},
        },
        exit_points={_LOGOUT},
        avg_response_times={_LOGIN: 120, "/api/data": 60, _LOGOUT: 30},
    )


def create_microservices_workflow() -> WorkflowDefinition:
    """Calls through an API gateway to the services of a shop.

    Users, catalogue, search, inventory, cart, orders, payments and notifications: a chain in
    which one slow service slows every later call.
    """
    login, logout = "/gateway/auth/login", "/gateway/auth/logout"
    user, orders = "/user-service/users/{id}", "/order-service/users/{id}/orders"
    products, product = "/catalog-service/products", "/catalog-service/products/{id}"
    search, stock = "/search-service/search", "/inventory-service/stock/{id}"
    add, checkout = "/cart-service/cart/add", "/order-service/checkout"
    payment, notify = "/payment-service/payment", "/notification-service/notify"
    return WorkflowDefinition(
        name="microservices",
        entry_points={login: 0.85, products: 0.15},
        transitions={
            login: {user: 0.9, logout: 0.1},
            user: {products: 0.6, orders: 0.25, logout: 0.15},
            products: {product: 0.7, search: 0.2, logout: 0.1},
            search: {product: 0.8, logout: 0.2},
            product: {stock: 0.5, products: 0.35, logout: 0.15},
            stock: {add: 0.6, products: 0.4},
            add: {checkout: 0.5, products: 0.5},
            checkout: {payment: 0.9, add: 0.1},
            payment: {notify: 0.95, checkout: 0.05},
            notify: {logout: 0.6, products: 0.4},
            orders: {products: 0.5, logout: 0.5},
        },
        exit_points={logout},
        avg_response_times={
            login: 110,
            user: 40,
            products: 140,
            product: 60,
            search: 170,
            stock: 35,
            add: 70,
            checkout: 260,
            payment: 480,
            notify: 90,
            orders: 120,
            logout: 25,
        },
    )


BUILTIN_WORKFLOWS: dict[str, Callable[[], WorkflowDefinition]] = {
    "ecommerce": create_ecommerce_workflow,
    "microservices": create_microservices_workflow,
    "simple": create_simple_workflow,
}
"""The built-in workflows by the name ``syda traces --workflow`` takes."""
