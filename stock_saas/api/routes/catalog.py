"""Departments and categories: list (anyone), create/rename/delete (manager)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from stock_saas.api.deps import CurrentContext, TenantContext, tenant_body
from stock_saas.api.errors import ERROR_RESPONSES, error_responses
from stock_saas.api.schemas import (
    ID_MAX,
    CategoryCreate,
    CategoryPublic,
    CategoryUpdate,
    DepartmentCreate,
    DepartmentPublic,
    DepartmentUpdate,
)
from stock_saas.services import catalog

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

RowId = Annotated[int, Path(ge=1, le=ID_MAX)]
_CHANGE = error_responses(404, 409)
NewDepartment = Annotated[DepartmentCreate, tenant_body(DepartmentCreate)]
NewCategory = Annotated[CategoryCreate, tenant_body(CategoryCreate)]


@router.get("/departments", tags=["departments"])
def list_departments(ctx: TenantContext) -> list[DepartmentPublic]:
    """Every department, with how many stock levels it holds and how many are low."""
    return [
        DepartmentPublic.model_validate(d, from_attributes=True)
        for d in catalog.list_departments(ctx=ctx)
    ]


@router.post(
    "/departments",
    tags=["departments"],
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409),
)
def create_department(body: NewDepartment, ctx: CurrentContext) -> DepartmentPublic:
    """A new department (manager)."""
    view = catalog.create_department(ctx=ctx, name=body.name)
    return DepartmentPublic.model_validate(view, from_attributes=True)


@router.patch("/departments/{department_id}", tags=["departments"], responses=_CHANGE)
def rename_department(
    department_id: RowId, body: DepartmentUpdate, ctx: TenantContext
) -> DepartmentPublic:
    """Rename a department (manager)."""
    view = catalog.rename_department(ctx=ctx, department_id=department_id, name=body.name)
    return DepartmentPublic.model_validate(view, from_attributes=True)


@router.delete(
    "/departments/{department_id}",
    tags=["departments"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_CHANGE,
)
def delete_department(department_id: RowId, ctx: TenantContext) -> None:
    """Delete an empty department other than the default (manager); history stays."""
    catalog.delete_department(ctx=ctx, department_id=department_id)


@router.get("/categories", tags=["categories"])
def list_categories(ctx: TenantContext) -> list[CategoryPublic]:
    return [
        CategoryPublic.model_validate(c, from_attributes=True)
        for c in catalog.list_categories(ctx=ctx)
    ]


@router.post(
    "/categories",
    tags=["categories"],
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409),
)
def create_category(body: NewCategory, ctx: CurrentContext) -> CategoryPublic:
    """A new category (manager)."""
    view = catalog.create_category(ctx=ctx, name=body.name)
    return CategoryPublic.model_validate(view, from_attributes=True)


@router.patch("/categories/{category_id}", tags=["categories"], responses=_CHANGE)
def rename_category(category_id: RowId, body: CategoryUpdate, ctx: TenantContext) -> CategoryPublic:
    view = catalog.rename_category(ctx=ctx, category_id=category_id, name=body.name)
    return CategoryPublic.model_validate(view, from_attributes=True)


@router.delete(
    "/categories/{category_id}",
    tags=["categories"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_CHANGE,
)
def delete_category(category_id: RowId, ctx: TenantContext) -> None:
    """Delete a category whose items hold no stock; they become uncategorised (manager)."""
    catalog.delete_category(ctx=ctx, category_id=category_id)
