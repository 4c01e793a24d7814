"""Departments and categories: list (anyone), create/rename/delete (manager).

The two are the same kind of thing (a named grouping of a tenant's stock, with the same
four operations in ``services.catalog``), so one function registers the routes of each.
"""

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, status

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import (
    ID_MAX,
    CategoryCreate,
    CategoryUpdate,
    DepartmentCreate,
    DepartmentUpdate,
)
from stock_saas.services import catalog

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

RowId = Annotated[int, Path(ge=1, le=ID_MAX)]
_CHANGE = error_responses(404, 409)


def _endpoint(name: str, run: Callable[..., Any], returns: Any, **parameters: Any) -> Any:
    """A route function called ``name`` that takes ``parameters`` (name -> annotation) by
    keyword, as FastAPI reads them from its signature, and hands them to ``run``."""

    def endpoint(**values: Any) -> Any:
        return run(**values)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
            for key, annotation in parameters.items()
        ],
        return_annotation=returns,
    )
    return endpoint


def _named_routes(
    plural: str,
    singular: str,
    view: type[Any],
    bodies: tuple[type[Any], type[Any]],
    *,
    list_doc: str,
    delete_doc: str,
) -> None:
    """``GET|POST /api/<plural>`` and ``PATCH|DELETE /api/<plural>/{<singular>_id}``,
    calling ``list_<plural>``, ``create_<singular>``, ``rename_<singular>`` and
    ``delete_<singular>`` of the catalogue service."""
    create_body, update_body = bodies
    key = f"{singular}_id"
    item_path = f"/{plural}/{{{key}}}"
    tags: list[Any] = [plural]
    create = getattr(catalog, f"create_{singular}")
    rename = getattr(catalog, f"rename_{singular}")
    router.add_api_route(
        f"/{plural}",
        _endpoint(
            f"list_{plural}",
            getattr(catalog, f"list_{plural}"),
            list[view],  # type: ignore[valid-type]
            ctx=TenantContext,
        ),
        methods=["GET"],
        tags=tags,
        description=list_doc,
    )
    router.add_api_route(
        f"/{plural}",
        _endpoint(
            f"create_{singular}",
            lambda ctx, body: create(ctx=ctx, name=body.name),
            view,
            body=Annotated[create_body, tenant_body(create_body)],
            ctx=CurrentContext,
        ),
        methods=["POST"],
        tags=tags,
        status_code=status.HTTP_201_CREATED,
        responses=error_responses(409),
        description=f"A new {singular} (manager).",
    )
    router.add_api_route(
        item_path,
        _endpoint(
            f"rename_{singular}",
            lambda ctx, body, **row: rename(ctx=ctx, name=body.name, **row),
            view,
            **{key: RowId},
            body=Annotated[update_body, tenant_body(update_body)],
            ctx=CurrentContext,
        ),
        methods=["PATCH"],
        tags=tags,
        responses=_CHANGE,
        description=f"Rename a {singular} (manager).",
    )
    router.add_api_route(
        item_path,
        _endpoint(
            f"delete_{singular}",
            getattr(catalog, f"delete_{singular}"),
            None,
            **{key: RowId},
            ctx=TenantContext,
        ),
        methods=["DELETE"],
        tags=tags,
        status_code=status.HTTP_204_NO_CONTENT,
        responses=_CHANGE,
        description=delete_doc,
    )


_named_routes(
    "departments",
    "department",
    catalog.DepartmentView,
    (DepartmentCreate, DepartmentUpdate),
    list_doc="Every department, with how many stock levels it holds and how many are low.",
    delete_doc="Delete an empty department other than the default (manager); history stays.",
)
_named_routes(
    "categories",
    "category",
    catalog.CategoryView,
    (CategoryCreate, CategoryUpdate),
    list_doc="Every category, with how many items it holds.",
    delete_doc="Delete a category whose items hold no stock; they become uncategorised (manager).",
)
